/**
 * Pure rules of the CSV import of families: validation line by line, and the plan (what will be
 * created, what is already there); decoding and parsing the file are in imports.csv.ts. No I/O: today and the existing records are passed in.
 * The file never carries health data: unknown columns are ignored and reported.
 */
import { isPhone, isPostcode, normaliseSearch, parseBirthDate } from '../households/households.domain.ts';
import { parseCsv, type CsvRecord } from './imports.csv.ts';

/** The documented columns, in the order of the example file. */
export const COLUMNS = [
  { name: 'reference_foyer', required: true, doc: 'Identifiant du foyer dans votre ancien fichier (même valeur sur toutes les lignes du foyer). Sert à reconnaître le foyer lors d\'un nouvel import.' },
  { name: 'type', required: true, doc: '« responsable » ou « enfant ».' },
  { name: 'nom', required: true, doc: 'Nom de famille.' },
  { name: 'prenom', required: true, doc: 'Prénom.' },
  { name: 'date_naissance', required: false, doc: 'JJ/MM/AAAA. Obligatoire pour un enfant, ignorée pour un responsable.' },
  { name: 'sexe', required: false, doc: '« F », « M » ou vide (enfants).' },
  { name: 'email', required: false, doc: 'Adresse électronique du responsable. Sans adresse, le code d\'activation part par courrier.' },
  { name: 'telephone', required: false, doc: 'Téléphone du responsable, par exemple 06 12 34 56 78.' },
  { name: 'adresse', required: false, doc: 'Numéro et rue du foyer. Lue sur la première ligne du foyer, obligatoire sur celle-ci.' },
  { name: 'complement_adresse', required: false, doc: 'Complément d\'adresse (facultatif), première ligne du foyer.' },
  { name: 'code_postal', required: false, doc: 'Cinq chiffres, première ligne du foyer.' },
  { name: 'ville', required: false, doc: 'Commune, première ligne du foyer.' },
  { name: 'ecole', required: false, doc: 'École de l\'enfant, telle qu\'écrite dans la liste des écoles de la commune (facultatif).' },
  { name: 'classe', required: false, doc: 'Classe de l\'enfant, telle qu\'écrite dans la liste des classes (facultatif).' },
] as const;

export type ColumnName = (typeof COLUMNS)[number]['name'];
const KNOWN = new Set<string>(COLUMNS.map((c) => c.name));

// Validation

export interface ImportLine {
  line: number;
  ref: string;
  type: 'responsable' | 'enfant' | null;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  sex: 'F' | 'M' | null;
  email: string | null;
  phone: string | null;
  school: string | null;
  classLevel: string | null;
  errors: string[];
}

export interface ImportAddress {
  address_line1: string;
  address_line2: string | null;
  postcode: string;
  city: string;
}

export interface ValidatedFile {
  lines: ImportLine[];
  /** Address of each household, from its first line. */
  addresses: Map<string, ImportAddress>;
  ignoredColumns: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateHeader(header: string[]): { ok: true; ignored: string[] } | { ok: false; error: string } {
  const missing = COLUMNS.filter((c) => c.required && !header.includes(c.name)).map((c) => c.name);
  if (missing.length) return { ok: false, error: `Ligne 1 : ${missing.length > 1 ? 'colonnes obligatoires absentes' : 'colonne obligatoire absente'} : ${missing.join(', ')}. La première ligne doit donner les noms des colonnes.` };
  const dup = header.find((h, i) => h && header.indexOf(h) !== i);
  if (dup) return { ok: false, error: `Ligne 1 : la colonne ${dup} apparaît deux fois.` };
  return { ok: true, ignored: header.filter((h) => h && !KNOWN.has(h)) };
}

/** Checks every line, then across lines (duplicates, household without guardian, address on the first line). */
export function validateRecords(header: string[], records: CsvRecord[], ctx: { today: string; schools: string[]; classLevels: string[] }): ImportLine[] {
  const col = (r: CsvRecord, name: ColumnName) => {
    const i = header.indexOf(name);
    return i === -1 ? '' : (r.cells[i] ?? '').trim();
  };
  const lines: ImportLine[] = [];
  for (const r of records) {
    const errors: string[] = [];
    if (r.cells.length > header.length && r.cells.slice(header.length).some((c) => c.trim() !== '')) errors.push(`${r.cells.length} colonnes au lieu de ${header.length} (séparateur en trop ou guillemets manquants)`);
    const ref = col(r, 'reference_foyer');
    if (!ref) errors.push('référence du foyer manquante');
    else if (ref.length > 50) errors.push('référence du foyer trop longue (50 caractères au maximum)');
    const rawType = normaliseSearch(col(r, 'type'));
    const type = rawType === 'responsable' ? 'responsable' : rawType === 'enfant' ? 'enfant' : null;
    if (!type) errors.push(`type inconnu (${col(r, 'type') || 'vide'}) : « responsable » ou « enfant »`);
    const lastName = col(r, 'nom');
    const firstName = col(r, 'prenom');
    if (!lastName) errors.push('nom manquant');
    if (!firstName) errors.push('prénom manquant');
    if (lastName.length > 80 || firstName.length > 80) errors.push('nom ou prénom trop long (80 caractères au maximum)');
    let birthDate: string | null = null;
    let sex: 'F' | 'M' | null = null;
    let school: string | null = null;
    let classLevel: string | null = null;
    let email: string | null = null;
    let phone: string | null = null;
    if (type === 'enfant') {
      const raw = col(r, 'date_naissance');
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
      if (!raw) errors.push('date de naissance manquante (JJ/MM/AAAA)');
      else if (!m) errors.push(`date de naissance invalide (${raw}) : écrivez JJ/MM/AAAA`);
      else {
        const parsed = parseBirthDate(m[1], m[2], m[3], ctx.today);
        if ('error' in parsed) errors.push(`date de naissance invalide (${raw})`);
        else birthDate = parsed.date;
      }
      const rawSex = col(r, 'sexe').toUpperCase();
      if (rawSex === 'F' || rawSex === 'M') sex = rawSex;
      else if (rawSex) errors.push(`sexe inconnu (${col(r, 'sexe')}) : F, M ou vide`);
      school = col(r, 'ecole') || null;
      classLevel = col(r, 'classe') || null;
      if (school && !ctx.schools.includes(school)) errors.push(`école inconnue (${school}) : elle doit figurer dans la liste des écoles de la commune`);
      if (classLevel && !ctx.classLevels.includes(classLevel)) errors.push(`classe inconnue (${classLevel}) : elle doit figurer dans la liste des classes`);
      if (col(r, 'email') || col(r, 'telephone')) errors.push('un enfant n\'a ni adresse électronique ni téléphone dans ce fichier : mettez-les sur la ligne du responsable');
    }
    if (type === 'responsable') {
      const rawEmail = col(r, 'email');
      if (rawEmail) {
        if (!EMAIL.test(rawEmail) || rawEmail.length > 254) errors.push(`adresse électronique invalide (${rawEmail})`);
        else email = rawEmail.toLowerCase();
      }
      const rawPhone = col(r, 'telephone');
      if (rawPhone) {
        if (!isPhone(rawPhone)) errors.push(`téléphone invalide (${rawPhone})`);
        else phone = rawPhone.replace(/[\s.-]/g, '');
      }
    }
    lines.push({ line: r.line, ref, type, firstName, lastName, birthDate, sex, email, phone, school, classLevel, errors });
  }

  // Across lines.
  const byRef = new Map<string, ImportLine[]>();
  for (const l of lines) if (l.ref) byRef.set(l.ref, [...(byRef.get(l.ref) ?? []), l]);
  for (const [ref, group] of byRef) {
    if (!group.some((l) => l.type === 'responsable')) for (const l of group) l.errors.push(`le foyer ${ref} n'a aucun responsable dans le fichier`);
    const seen = new Map<string, number>();
    for (const l of group) {
      if (!l.type || !l.firstName || !l.lastName) continue;
      const key = personKey(l.type === 'enfant' ? 'child' : 'guardian', l.firstName, l.lastName, l.birthDate);
      const first = seen.get(key);
      if (first !== undefined) l.errors.push(`même personne que la ligne ${first}`);
      else seen.set(key, l.line);
    }
  }
  const emails = new Map<string, number>();
  for (const l of lines) {
    if (!l.email) continue;
    const first = emails.get(l.email);
    if (first !== undefined) l.errors.push(`adresse électronique déjà donnée ligne ${first} : chaque responsable a la sienne`);
    else emails.set(l.email, l.line);
  }
  return lines;
}

/** The address of each household, read from its first line (later lines may leave it empty). */
export function householdAddresses(header: string[], records: CsvRecord[], lines: ImportLine[]): Map<string, { address: ImportAddress; line: number; errors: string[] }> {
  const col = (r: CsvRecord, name: ColumnName) => {
    const i = header.indexOf(name);
    return i === -1 ? '' : (r.cells[i] ?? '').trim();
  };
  const out = new Map<string, { address: ImportAddress; line: number; errors: string[] }>();
  records.forEach((r, i) => {
    const ref = lines[i].ref;
    if (!ref || out.has(ref)) return;
    const address = { address_line1: col(r, 'adresse'), address_line2: col(r, 'complement_adresse') || null, postcode: col(r, 'code_postal'), city: col(r, 'ville') };
    const errors: string[] = [];
    if (!address.address_line1) errors.push('adresse manquante sur la première ligne du foyer');
    if (!isPostcode(address.postcode)) errors.push(address.postcode ? `code postal invalide (${address.postcode})` : 'code postal manquant sur la première ligne du foyer');
    if (!address.city) errors.push('ville manquante sur la première ligne du foyer');
    if (address.address_line1.length > 200 || address.city.length > 100 || (address.address_line2?.length ?? 0) > 200) errors.push('adresse trop longue');
    out.set(ref, { address, line: r.line, errors });
  });
  return out;
}

/** How a person is recognised in its household: normalised names, plus the birth date for a child. */
export function personKey(role: 'guardian' | 'child', firstName: string, lastName: string, birthDate: string | null): string {
  return [role, normaliseSearch(firstName), normaliseSearch(lastName), role === 'child' ? birthDate ?? '' : ''].join('|');
}

// Plan

export interface ExistingHousehold {
  id: string;
  members: { role: 'guardian' | 'child'; first_name: string; last_name: string; birth_date: string | null }[];
}

export type LineOutcome = 'create' | 'present' | 'rejected';

export interface PlannedLine extends ImportLine {
  outcome: LineOutcome;
  /** Set on lines of a household that does not exist yet. */
  newHousehold: boolean;
}

export interface ImportPlan {
  delimiter: ';' | ',';
  ignoredColumns: string[];
  lines: PlannedLine[];
  households: { ref: string; existingId: string | null; address: ImportAddress; lines: PlannedLine[] }[];
  counts: { lines: number; create: number; present: number; rejected: number; newHouseholds: number; matchedHouseholds: number };
}

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; error: string };

/** The whole dry run: parse, validate, and compare with what the town already has. */
export function planImport(text: string, ctx: { today: string; schools: string[]; classLevels: string[]; existing: Map<string, ExistingHousehold> }): PlanResult {
  const parsed = parseCsv(text);
  if (!parsed.ok) return parsed;
  const head = validateHeader(parsed.header);
  if (!head.ok) return head;
  if (parsed.records.length === 0) return { ok: false, error: 'Le fichier ne contient que la ligne des noms de colonnes.' };
  const lines = validateRecords(parsed.header, parsed.records, ctx);
  const addresses = householdAddresses(parsed.header, parsed.records, lines);
  return { ok: true, plan: buildPlan(parsed.delimiter, head.ignored, lines, addresses, ctx.existing) };
}

/** References of the households a file mentions (to load the existing ones before planning). */
export function referencesIn(text: string): string[] {
  const parsed = parseCsv(text);
  if (!parsed.ok) return [];
  const i = parsed.header.indexOf('reference_foyer');
  if (i === -1) return [];
  return [...new Set(parsed.records.map((r) => (r.cells[i] ?? '').trim()).filter(Boolean))];
}

function buildPlan(delimiter: ';' | ',', ignoredColumns: string[], lines: ImportLine[], addresses: Map<string, { address: ImportAddress; line: number; errors: string[] }>, existing: Map<string, ExistingHousehold>): ImportPlan {
  const households: ImportPlan['households'] = [];
  const groups = new Map<string, PlannedLine[]>();
  const planned: PlannedLine[] = lines.map((l) => {
    const known = l.ref ? existing.get(l.ref) : undefined;
    const errors = [...l.errors];
    const addr = l.ref ? addresses.get(l.ref) : undefined;
    // A household already known keeps its address: only a new one needs it.
    if (!known && addr && addr.line === l.line) errors.push(...addr.errors);
    let outcome: LineOutcome = errors.length ? 'rejected' : 'create';
    if (outcome === 'create' && known) {
      const key = personKey(l.type === 'enfant' ? 'child' : 'guardian', l.firstName, l.lastName, l.birthDate);
      if (known.members.some((m) => personKey(m.role, m.first_name, m.last_name, m.birth_date) === key)) outcome = 'present';
    }
    const p: PlannedLine = { ...l, errors, outcome, newHousehold: !known };
    if (l.ref) groups.set(l.ref, [...(groups.get(l.ref) ?? []), p]);
    return p;
  });
  // A new household whose first line is rejected cannot be created: its other lines say why.
  for (const [ref, group] of groups) {
    const addr = addresses.get(ref)!;
    const known = existing.get(ref);
    if (!known && addr.errors.length) {
      for (const l of group) if (l.line !== addr.line && l.outcome !== 'rejected') {
        l.outcome = 'rejected';
        l.errors.push(`l'adresse du foyer (ligne ${addr.line}) est incomplète`);
      }
    }
    households.push({ ref, existingId: known?.id ?? null, address: addr.address, lines: group });
  }
  const count = (o: LineOutcome) => planned.filter((l) => l.outcome === o).length;
  return {
    delimiter,
    ignoredColumns,
    lines: planned,
    households,
    counts: {
      lines: planned.length,
      create: count('create'),
      present: count('present'),
      rejected: count('rejected'),
      newHouseholds: households.filter((h) => !h.existingId).length,
      matchedHouseholds: households.filter((h) => h.existingId).length,
    },
  };
}

/** « Ligne 7 : date de naissance invalide (31/02/2018) ». */
export const lineMessage = (l: { line: number; errors: string[] }) => `Ligne ${l.line} : ${l.errors.join(' ; ')}`;
