import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf, type Page } from '../../../test/support/client.ts';
import { anAgent, TEST_PASSWORD } from '../../../test/support/builders.ts';
import { insertSchoolListItem } from '../households/households.repository.ts';
import { identityService } from '../identity/identity.service.ts';

const EXAMPLE = fs.readFileSync(new URL('../../../docs/exemple-import.csv', import.meta.url));
const CODE = /[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}/;

/** Posts the upload form as a browser does: multipart, the hidden CSRF field first, then the file. */
async function upload(t: TestApp, client: TestClient, content: Buffer, options: { csrf?: string | null; filename?: string } = {}): Promise<Page> {
  const boundary = `----portail${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  if (options.csrf !== null) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${options.csrf ?? client.lastCsrf}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${options.filename ?? 'familles.csv'}"\r\nContent-Type: text/csv\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`));
  const res = await t.app.inject({
    method: 'POST',
    url: '/agent/import',
    payload: Buffer.concat(parts),
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  return { status: res.statusCode, body: res.body, location: res.headers.location, headers: res.headers as Page['headers'] };
}

for (const engine of testEngines()) {
  describe(`import des familles et campagne d'activation (${engine})`, () => {
    let t: TestApp;
    let agent: TestClient;
    const count = async (table: 'households' | 'persons' | 'household_members' | 'children') => Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      t = await createTestApp(engine);
      for (const [i, s] of ['École Jules-Ferry', 'École Marie-Curie'].entries()) await insertSchoolListItem(t.ctx.db, 'school', s, i);
      for (const [i, c] of ['Moyenne section', 'CP', 'CE1', 'CE2', 'CM1'].entries()) await insertSchoolListItem(t.ctx.db, 'class_level', c, i);
      const enfance = await anAgent(t.ctx, ['enfance']);
      agent = new TestClient(t.app);
      await agent.login(enfance.email, enfance.password);
    });
    after(() => t.close());

    test('a broken line is reported with its number in the dry run, and nothing is imported', async () => {
      const page = await agent.get('/agent/import');
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /reference_foyer/);
      const broken = Buffer.from(EXAMPLE.toString('utf-8').replace('14/03/2017', '31/02/2017'));
      const sent = await upload(t, agent, broken);
      assert.equal(sent.status, 303);
      const dry = await agent.get(sent.location!);
      const text = textOf(dry.body);
      assert.match(text, /Ligne 4 : date de naissance invalide \(31\/02\/2017\)/);
      assert.match(text, /Rien ne sera importé/);
      assert.doesNotMatch(text, /Importer pour de bon/);
      // Forcing the confirmation changes nothing either.
      const forced = await agent.post(`${sent.location}/confirmer`);
      assert.equal(forced.status, 303);
      assert.match(textOf((await agent.get(sent.location!)).body), /Rien n'est importé : des lignes sont rejetées/);
      assert.equal(await count('households'), 0);
      assert.equal(await count('persons'), 0);
    });

    test('an unreadable file is refused at once with the line number', async () => {
      await agent.get('/agent/import');
      const res = await upload(t, agent, Buffer.from('reference_foyer;type;nom;prenom\nA1;responsable;"Durand;Paul\n'));
      assert.equal(res.status, 400);
      assert.match(textOf(res.body), /Ligne 2 : un guillemet ouvert n'est jamais fermé/);
      const empty = await upload(t, agent, Buffer.alloc(0));
      assert.equal(empty.status, 400);
      assert.match(textOf(empty.body), /Choisissez un fichier CSV/);
      await agent.get('/agent/import');
      const huge = await upload(t, agent, Buffer.alloc(2 * 1024 * 1024 + 10, 'a'));
      assert.equal(huge.status, 413);
      assert.match(textOf(huge.body), /dépasse 2 Mo/);
      assert.equal((await t.ctx.db.selectFrom('imports').select('id').execute()).length, 1, 'only the broken file of the previous test is kept');
    });

    test('the upload needs the CSRF token', async () => {
      await agent.get('/agent/import');
      assert.equal((await upload(t, agent, EXAMPLE, { csrf: null })).status, 403);
      assert.equal((await upload(t, agent, EXAMPLE, { csrf: 'faux' })).status, 403);
      assert.equal(await count('households'), 0);
    });

    test('the example file imports for real, all at once; the same file twice creates nothing', async () => {
      const example = await agent.get('/agent/import/exemple.csv');
      assert.equal(example.status, 200);
      assert.match(String(example.headers['content-type']), /text\/csv/);
      await agent.get('/agent/import');
      const first = await upload(t, agent, EXAMPLE);
      const dry = textOf((await agent.get(first.location!)).body);
      assert.match(dry, /À créer 8/);
      assert.match(dry, /Foyers nouveaux 3/);
      assert.equal(await count('persons'), 0, 'the dry run writes nothing');
      const done = await agent.post(`${first.location}/confirmer`);
      assert.equal(done.status, 303);
      assert.match(textOf((await agent.get(first.location!)).body), /Import terminé : 3 foyers créés et 8 personnes créées, 0 ligne déjà présente/);
      assert.equal(await count('households'), 3);
      assert.equal(await count('persons'), 8);
      assert.equal(await count('children'), 4);
      const martin = await t.ctx.db.selectFrom('households').selectAll().where('external_ref', '=', 'F2019-014').executeTakeFirstOrThrow();
      assert.equal(martin.name, 'Foyer Martin');
      assert.equal(martin.address_line1, '12 rue des Écoles');
      assert.ok(martin.payer_person_id);
      const lefevre = await t.ctx.db.selectFrom('households').selectAll().where('external_ref', '=', 'F2020-003').executeTakeFirstOrThrow();
      assert.equal(lefevre.address_line2, 'Résidence Les Lilas; bâtiment B');
      const lea = await t.ctx.db.selectFrom('persons').innerJoin('children', 'children.person_id', 'persons.id').selectAll().where('first_name', '=', 'Léa').executeTakeFirstOrThrow();
      assert.deepEqual([lea.birth_date, lea.sex, lea.school, lea.class_level], ['2017-03-14', 'F', 'École Jules-Ferry', 'CM1']);
      const audits = await t.ctx.db.selectFrom('audit_log').select('action').where('action', 'in', ['household.imported', 'import.completed']).execute();
      assert.equal(audits.length, 4);
      // Searchable like any household.
      assert.match(textOf((await agent.get('/agent/foyers?q=lefevre')).body), /Foyer Lefèvre/);

      // Confirming the same dry run again does nothing.
      await agent.get(first.location!);
      await agent.post(`${first.location}/confirmer`);
      assert.equal(await count('persons'), 8);

      // The same file again: everything is already there.
      await agent.get('/agent/import');
      const second = await upload(t, agent, EXAMPLE);
      const again = textOf((await agent.get(second.location!)).body);
      assert.match(again, /Déjà présentes 8/);
      assert.match(again, /Rien de nouveau/);
      await agent.post(`${second.location}/confirmer`);
      assert.equal(await count('households'), 3);
      assert.equal(await count('persons'), 8);
      assert.equal(await count('household_members'), 8);
    });

    test('a Windows-1252 file with commas and accents is imported correctly, and a new child joins an existing household', async () => {
      const csv = [
        'reference_foyer,type,nom,prenom,date_naissance,sexe,email,telephone,adresse,complement_adresse,code_postal,ville,ecole,classe',
        'W-1,responsable,Lefèvre,Noël,,,,,"3 impasse de l\'Église",,62160,Beauval,,',
        'W-1,enfant,Lefèvre,Zoé,01/02/2019,F,,,,,,,École Marie-Curie,CE1',
        'F2019-027,responsable,Benali,Karima,,,,,,,,,,',
        'F2019-027,enfant,Benali,Inès,10/10/2021,F,,,,,,,,',
      ].join('\r\n');
      const bytes = Buffer.from(csv, 'latin1'); // é è ë É are the same bytes in Windows-1252
      assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      await agent.get('/agent/import');
      const sent = await upload(t, agent, bytes);
      const dry = textOf((await agent.get(sent.location!)).body);
      assert.match(dry, /Windows-1252, « , »/);
      assert.match(dry, /Noël Lefèvre/);
      assert.match(dry, /À créer 3/);
      assert.match(dry, /Déjà présentes 1/);
      await agent.post(`${sent.location}/confirmer`);
      const zoe = await t.ctx.db.selectFrom('persons').selectAll().where('first_name', '=', 'Zoé').executeTakeFirstOrThrow();
      assert.equal(zoe.last_name, 'Lefèvre');
      const h = await t.ctx.db.selectFrom('households').selectAll().where('external_ref', '=', 'W-1').executeTakeFirstOrThrow();
      assert.equal(h.address_line1, "3 impasse de l'Église");
      const benali = await t.ctx.db.selectFrom('households').select('id').where('external_ref', '=', 'F2019-027').executeTakeFirstOrThrow();
      const members = await t.ctx.db.selectFrom('household_members').select('person_id').where('household_id', '=', benali.id).execute();
      assert.equal(members.length, 3);
    });

    test('campaign: e-mails through the outbox, one PDF of letters, progress when a guardian activates, reminder', async () => {
      const list = await agent.get('/agent/campagnes');
      assert.match(textOf(list.body), /5 responsables sans compte : 2 par courriel, 3 par lettre/);
      const launched = await agent.post('/agent/campagnes');
      assert.equal(launched.status, 303);
      const url = launched.location!;
      const mails = await t.ctx.db.selectFrom('outbox').selectAll().where('kind', '=', 'activation').where('to_address', 'in', ['sophie.martin@example.fr', 'karima.benali@example.fr']).execute();
      assert.equal(mails.length, 2);
      let page = textOf((await agent.get(url)).body);
      assert.match(page, /Campagne lancée : 2 courriels partent, 3 lettres à imprimer/);
      assert.match(page, /Courriels en attente d'envoi 2/);
      assert.match(page, /Lettres \(destinataires sans courriel\) 3/);

      await t.flushMail();
      page = textOf((await agent.get(url)).body);
      assert.match(page, /Courriels envoyés, compte pas encore activé 2/);
      assert.match(page, /Comptes activés 0/);

      // The outbox never holds the code readable: read it as the mailbox received it.
      const sophie = t.delivered.find((m) => m.to === 'sophie.martin@example.fr')!;
      const code = CODE.exec(sophie.text)?.[0];
      assert.ok(code);
      const activated = await identityService(t.ctx).activate({ code, password: TEST_PASSWORD });
      assert.ok(activated.ok);
      page = textOf((await agent.get(url)).body);
      assert.match(page, /Comptes activés 1/);
      assert.match(page, /Courriels envoyés, compte pas encore activé 1/);

      // The letters: one PDF, one page per guardian without e-mail.
      const pdf = await agent.post(`${url}/lettres`);
      assert.equal(pdf.status, 200);
      assert.match(String(pdf.headers['content-type']), /application\/pdf/);
      assert.ok(pdf.body.startsWith('%PDF'));
      assert.equal(pdf.body.match(/\/Type \/Page\b/g)?.length, 3);

      // Karima's e-mail bounces: counted, then a reminder sends her a new code.
      const karima = mails.find((m) => m.to_address === 'karima.benali@example.fr')!;
      await t.ctx.db.updateTable('outbox').set({ status: 'failed', last_error: '550 boîte inconnue' }).where('id', '=', karima.id).execute();
      await agent.get(url);
      page = textOf((await agent.get(url)).body);
      assert.match(page, /Courriels en échec 1/);
      const reminded = await agent.post(`${url}/relancer`);
      assert.equal(reminded.status, 303);
      const karimaMails = await t.ctx.db.selectFrom('outbox').select('id').where('kind', '=', 'activation').where('to_address', '=', 'karima.benali@example.fr').execute();
      assert.equal(karimaMails.length, 2);
      page = textOf((await agent.get(url)).body);
      assert.match(page, /Courriels en échec 0/);

      // Everyone has a login or a code now: nothing to launch.
      assert.match(textOf((await agent.get('/agent/campagnes')).body), /Tous les responsables ont déjà un compte/);
      const none = await agent.post('/agent/campagnes');
      assert.equal(none.status, 303);
      assert.equal((await t.ctx.db.selectFrom('activation_campaigns').select('id').execute()).length, 1);
    });

    test('expired codes are counted as expired and offered a reminder', async () => {
      const [campaign] = await t.ctx.db.selectFrom('activation_campaigns').select('id').execute();
      t.clock.advance(40 * 86_400_000);
      const enfance = await anAgent(t.ctx, ['enfance']);
      agent = new TestClient(t.app);
      await agent.login(enfance.email, enfance.password);
      const page = textOf((await agent.get(`/agent/campagnes/${campaign.id}`)).body);
      // Karima (e-mail) and the three letters; Sophie is active.
      assert.match(page, /Codes expirés 4/);
      assert.match(page, /Comptes activés 1/);
      assert.match(page, /1 responsable avec un code expiré ou un courriel en échec recevra/);
    });

    test('item 15: the campaign page and the letters are audited reads, one row per household, in each household\'s history', async () => {
      const [campaign] = await t.ctx.db.selectFrom('activation_campaigns').select('id').execute();
      const households = await t.ctx.db.selectFrom('campaign_recipients').select('household_id').distinct().where('campaign_id', '=', campaign.id).execute();
      const readsOf = async (action: string) => t.ctx.db.selectFrom('audit_log').select(['id', 'target_id', 'summary', 'at']).where('action', '=', action).where('target_type', '=', 'household').execute();
      const seen = new Set((await readsOf('read.campaign')).map((r) => r.id));
      t.clock.advance(1000);
      await agent.get(`/agent/campagnes/${campaign.id}`);
      const rows = (await readsOf('read.campaign')).filter((r) => !seen.has(r.id));
      assert.equal(rows.length, households.length, 'one row per household, not per guardian');
      assert.deepEqual(new Set(rows.map((r) => r.target_id)), new Set(households.map((h) => h.household_id)));
      assert.equal(new Set(rows.map((r) => r.at)).size, 1, 'written together');
      assert.match(rows[0].summary, /\(service enfance\) a consulté la liste d'une campagne d'activation/);
      await agent.post(`/agent/campagnes/${campaign.id}/lettres`);
      assert.ok((await readsOf('read.letters')).length >= 1);
    });

    test('item 20: the upload refuses a file sent twice, a malformed body and a bad id with 400 or 404, never 500', async () => {
      await agent.get('/agent/import');
      const boundary = '----portailtest';
      const file = (name: string) => `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\na;b\r\n`;
      const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const send = (payload: string) => t.app.inject({ method: 'POST', url: '/agent/import', payload, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` } });
      const csrf = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${agent.lastCsrf}\r\n`;
      assert.equal((await send(`${csrf}${file('a.csv')}${file('b.csv')}--${boundary}--\r\n`)).statusCode, 400, 'two files');
      assert.equal((await send(`${csrf}${file('a.csv')}`)).statusCode, 400, 'never closed');
      assert.equal((await send(`${csrf}--${boundary}\r\nno headers here--${boundary}--\r\n`)).statusCode, 400, 'a part without headers');
      assert.equal((await agent.get('/agent/import/pas-un-id')).status, 404);
      assert.equal((await agent.get('/agent/campagnes/pas-un-id')).status, 404);
    });

    test('only enfance and admin: an animateur gets 403 everywhere', async () => {
      const other = await anAgent(t.ctx, ['animateur']);
      const c = new TestClient(t.app);
      await c.login(other.email, other.password);
      const [campaign] = await t.ctx.db.selectFrom('activation_campaigns').select('id').execute();
      for (const url of ['/agent/import', '/agent/import/exemple.csv', '/agent/campagnes', `/agent/campagnes/${campaign.id}`]) assert.equal((await c.get(url)).status, 403, url);
      await c.get('/agent');
      assert.equal((await upload(t, c, EXAMPLE)).status, 403);
      for (const url of ['/agent/campagnes', `/agent/campagnes/${campaign.id}/lettres`, `/agent/campagnes/${campaign.id}/relancer`]) assert.equal((await c.post(url)).status, 403, url);
      const anonymous = new TestClient(t.app);
      assert.equal((await anonymous.get('/agent/import')).status, 303);
    });
  });
}
