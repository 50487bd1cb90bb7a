import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { planImport, type ExistingHousehold } from './imports.domain.ts';
import { decodeCsv, parseCsv } from './imports.csv.ts';
import { campaignCounts, needsReminder, recipientState } from './campaigns.domain.ts';

const HEADER = 'reference_foyer;type;nom;prenom;date_naissance;sexe;email;telephone;adresse;complement_adresse;code_postal;ville;ecole;classe';
const ctx = (existing = new Map<string, ExistingHousehold>()) => ({ today: '2026-11-28', schools: ['École Jules-Ferry', 'École Marie-Curie'], classLevels: ['CP', 'CE1', 'CE2', 'CM1', 'Moyenne section'], existing });

describe('CSV parsing', () => {
  const cases: { name: string; input: string; delimiter: ';' | ','; rows: string[][]; lines?: number[] }[] = [
    { name: 'semicolons, LF', input: 'a;b\n1;2\n', delimiter: ';', rows: [['1', '2']] },
    { name: 'commas detected from the header', input: 'a,b\n1,2', delimiter: ',', rows: [['1', '2']] },
    { name: 'CRLF and BOM', input: '\ufeffa;b\r\n1;2\r\n3;4\r\n', delimiter: ';', rows: [['1', '2'], ['3', '4']], lines: [2, 3] },
    { name: 'quoted delimiter and doubled quotes', input: 'a;b\n"x;y";"il dit ""oui"""\n', delimiter: ';', rows: [['x;y', 'il dit "oui"']] },
    { name: 'comma inside quotes with semicolon delimiter', input: 'a;b\n"Dupont, Jean";2', delimiter: ';', rows: [['Dupont, Jean', '2']] },
    { name: 'line break inside quotes keeps line numbers right', input: 'a;b\n"deux\nlignes";1\n3;4', delimiter: ';', rows: [['deux\nlignes', '1'], ['3', '4']], lines: [2, 4] },
    { name: 'blank lines skipped, numbers kept', input: 'a;b\n\n1;2\n', delimiter: ';', rows: [['1', '2']], lines: [3] },
    { name: 'cells trimmed, empty cells kept', input: 'a;b;c\n 1 ;;3', delimiter: ';', rows: [['1', '', '3']] },
    { name: 'old Mac CR line ends', input: 'a;b\r1;2\r', delimiter: ';', rows: [['1', '2']] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = parseCsv(c.input);
      assert.ok(r.ok, !r.ok ? r.error : '');
      assert.equal(r.delimiter, c.delimiter);
      assert.deepEqual(r.records.map((x) => x.cells), c.rows);
      if (c.lines) assert.deepEqual(r.records.map((x) => x.line), c.lines);
    });
  }

  const broken: { name: string; input: string; message: RegExp }[] = [
    { name: 'empty file', input: '   \n', message: /vide/ },
    { name: 'unterminated quote', input: 'a;b\n1;2\n"ouvert;3\n4;5', message: /Ligne 3 : un guillemet ouvert/ },
    { name: 'stray quote in a field', input: 'a;b\n1;2\n3;ab"c', message: /Ligne 3 : guillemet mal placé/ },
  ];
  for (const c of broken) {
    test(`refused: ${c.name}`, () => {
      const r = parseCsv(c.input);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.error : '', c.message);
    });
  }

  test('decoding: UTF-8 with BOM, UTF-8, Windows-1252 fallback', () => {
    assert.deepEqual(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('Léa')])), { text: 'Léa', encoding: 'utf-8' });
    assert.deepEqual(decodeCsv(Buffer.from('Chloé Lefèvre', 'utf-8')), { text: 'Chloé Lefèvre', encoding: 'utf-8' });
    // « Chloé Lefèvre œ » in Windows-1252: é = E9, è = E8, œ = 9C (not in Latin-1).
    assert.deepEqual(decodeCsv(new Uint8Array([0x43, 0x68, 0x6c, 0x6f, 0xe9, 0x20, 0x4c, 0x65, 0x66, 0xe8, 0x76, 0x72, 0x65, 0x20, 0x9c])), { text: 'Chloé Lefèvre œ', encoding: 'windows-1252' });
  });
});

describe('import plan', () => {
  const file = (...rows: string[]) => [HEADER, ...rows].join('\n');
  const guardian = (ref: string, last: string, first: string, extra = ';;;;;1 rue Haute;;62160;Beauval;;') => `${ref};responsable;${last};${first}${extra.startsWith(';') ? extra : `;${extra}`}`;

  test('the example file is valid: 3 households, 8 persons to create', () => {
    const r = planImport(decodeCsv(fs.readFileSync(new URL('../../../docs/exemple-import.csv', import.meta.url))).text, ctx());
    assert.ok(r.ok);
    assert.deepEqual(r.plan.lines.filter((l) => l.outcome === 'rejected').map((l) => l.errors), []);
    assert.equal(r.plan.counts.create, 8);
    assert.equal(r.plan.counts.newHouseholds, 3);
  });

  const invalid: { name: string; row: string; message: RegExp }[] = [
    { name: 'impossible birth date', row: 'A1;enfant;Durand;Noé;31/02/2018;M;;;;;;;;', message: /^Ligne 3 : date de naissance invalide \(31\/02\/2018\)$/ },
    { name: 'birth date in ISO form', row: 'A1;enfant;Durand;Noé;2018-02-03;M;;;;;;;;', message: /JJ\/MM\/AAAA/ },
    { name: 'unknown type', row: 'A1;parent;Durand;Noé;;;;;;;;;;', message: /type inconnu \(parent\)/ },
    { name: 'missing first name', row: 'A1;enfant;Durand;;03/02/2018;;;;;;;;;', message: /prénom manquant/ },
    { name: 'unknown school', row: 'A1;enfant;Durand;Noé;03/02/2018;;;;;;;;École Victor-Hugo;CP', message: /école inconnue \(École Victor-Hugo\)/ },
    { name: 'unknown class', row: 'A1;enfant;Durand;Noé;03/02/2018;;;;;;;;;6e', message: /classe inconnue \(6e\)/ },
    { name: 'bad sex', row: 'A1;enfant;Durand;Noé;03/02/2018;X;;;;;;;;', message: /sexe inconnu/ },
    { name: 'same child twice', row: 'A1;enfant;Durand;Lou;03/02/2018;F;;;;;;;;\nA1;enfant;DURAND;Lou;03/02/2018;F;;;;;;;;', message: /Ligne 4 : même personne que la ligne 3/ },
  ];
  for (const c of invalid) {
    test(`rejected: ${c.name}`, () => {
      const r = planImport(file(guardian('A1', 'Durand', 'Paul'), c.row), ctx());
      assert.ok(r.ok);
      const rejected = r.plan.lines.filter((l) => l.outcome === 'rejected');
      assert.ok(rejected.length >= 1);
      assert.match(rejected.map((l) => `Ligne ${l.line} : ${l.errors.join(' ; ')}`).join('\n'), c.message);
    });
  }

  test('guardian checks: e-mail, phone, address on the first line of a new household, e-mail used twice', () => {
    const r = planImport(
      file(
        guardian('A1', 'Durand', 'Paul', ';;;pas-une-adresse;012;1 rue Haute;;62160;Beauval;;'),
        guardian('B2', 'Roux', 'Anne', ';;;anne@example.fr;;;;6216;;;'),
        guardian('C3', 'Petit', 'Marc', ';;;anne@example.fr;;2 rue Basse;;62160;Beauval;;'),
        'B2;enfant;Roux;Lina;01/01/2019;F;;;;;;;;',
      ),
      ctx(),
    );
    assert.ok(r.ok);
    const msg = (line: number) => r.plan.lines.find((l) => l.line === line)!.errors.join(' ; ');
    assert.match(msg(2), /adresse électronique invalide \(pas-une-adresse\)/);
    assert.match(msg(2), /téléphone invalide \(012\)/);
    assert.match(msg(3), /adresse manquante/);
    assert.match(msg(3), /code postal invalide \(6216\)/);
    assert.match(msg(4), /déjà donnée ligne 3/);
    assert.match(msg(5), /l'adresse du foyer \(ligne 3\) est incomplète/);
  });

  test('a household without guardian is rejected, every line of it', () => {
    const r = planImport(file('Z9;enfant;Seul;Léo;01/01/2019;M;;;1 rue Haute;;62160;Beauval;;'), ctx());
    assert.ok(r.ok);
    assert.equal(r.plan.counts.rejected, 1);
    assert.match(r.plan.lines[0].errors.join(), /n'a aucun responsable/);
  });

  test('header: required columns, any case and accents; unknown columns reported and ignored', () => {
    const bad = planImport('reference;type;nom\nA;responsable;X', ctx());
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.error : '', /Ligne 1 : colonnes obligatoires absentes : reference_foyer, prenom/);
    const ok = planImport('Reference_Foyer,Type,Nom,Prénom,Adresse,Code postal,Ville,Allergies\nA,responsable,Durand,Paul,1 rue Haute,62160,Beauval,arachide', ctx());
    assert.ok(ok.ok);
    assert.equal(ok.plan.counts.create, 1);
    assert.deepEqual(ok.plan.ignoredColumns, ['allergies']);
  });

  test('matching: an existing household and its members are "déjà présent", whatever the case and accents', () => {
    const existing = new Map<string, ExistingHousehold>([
      ['A1', { id: 'h1', members: [{ role: 'guardian', first_name: 'Paul', last_name: 'Durand', birth_date: null }, { role: 'child', first_name: 'Noé', last_name: 'Durand', birth_date: '2018-02-03' }] }],
    ]);
    const r = planImport(file(guardian('A1', 'DURAND', 'paul', ';;;;;;;;;'), 'A1;enfant;Durand;Noe;03/02/2018;M;;;;;;;;', 'A1;enfant;Durand;Noé;04/02/2018;M;;;;;;;;'), ctx(existing));
    assert.ok(r.ok);
    assert.deepEqual(r.plan.lines.map((l) => l.outcome), ['present', 'present', 'create']);
    assert.equal(r.plan.counts.matchedHouseholds, 1);
  });
});

describe('campaign progress', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const code = (expires: string) => ({ expires_at: expires, used_at: null, revoked_at: null });
  const cases: { name: string; r: Parameters<typeof recipientState>[0]; state: ReturnType<typeof recipientState> }[] = [
    { name: 'activated', r: { channel: 'email', status: 'active', code: null, mail: { status: 'failed' } }, state: 'active' },
    { name: 'bounced', r: { channel: 'email', status: 'invited', code: code('2026-12-30T00:00:00Z'), mail: { status: 'failed' } }, state: 'bounced' },
    { name: 'expired', r: { channel: 'email', status: 'invited', code: code('2026-11-30T00:00:00Z'), mail: { status: 'sent' } }, state: 'expired' },
    { name: 'sent', r: { channel: 'email', status: 'invited', code: code('2026-12-30T00:00:00Z'), mail: { status: 'kept' } }, state: 'sent' },
    { name: 'queued', r: { channel: 'email', status: 'invited', code: code('2026-12-30T00:00:00Z'), mail: { status: 'pending' } }, state: 'queued' },
    { name: 'letter', r: { channel: 'letter', status: 'invited', code: code('2026-12-30T00:00:00Z'), mail: null }, state: 'letter' },
    { name: 'letter expired', r: { channel: 'letter', status: 'invited', code: code('2026-11-30T00:00:00Z'), mail: null }, state: 'expired' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(recipientState(c.r, now), c.state));

  test('counts and who gets a reminder', () => {
    const states = cases.map((c) => ({ channel: c.r.channel, state: recipientState(c.r, now) }));
    const counts = campaignCounts(states);
    assert.deepEqual([counts.total, counts.activated, counts.bounced, counts.expired, counts.sent, counts.queued, counts.letters, counts.toPrint], [7, 1, 1, 2, 1, 1, 2, 2]);
    assert.equal(states.filter(needsReminder).length, 2);
  });
});
