import type { Executor } from '../audit/audit.repository.ts';

/**
 * The personal-data registry (RGPD). Every module declares, next to its own tables, what personal
 * data it holds and how to export and anonymise a household's share of it, the way request types
 * plug into the request model. The household export (« Mes données », JSON and page) and the
 * anonymisation only iterate over the declarations: a module that declares its tables is covered,
 * and a test fails for any table of the migrated schema that ties rows to a household, a person or
 * a login without being declared (personal-data.coverage.test.ts).
 */

/** A value of an exported row: what JSON and the page can show without interpretation. */
export type ExportValue = string | number | boolean | null;
export type ExportRow = Record<string, ExportValue>;

/** What a household's export covers. */
export interface ExportScope {
  householdId: string;
  /** Every member of the household (guardians and children). */
  personIds: string[];
  /** The login asking for its own data (a guardian), null when an agent reads it at the counter. */
  userId: string | null;
}

/** What an anonymisation covers: only persons belonging to no other live household. */
export interface AnonymiseScope {
  householdId: string;
  /** Persons anonymised now. */
  personIds: string[];
  /** Members kept because they also belong to another live household (a child of separated parents). */
  keptPersonIds: string[];
  /** Logins of the anonymised guardians. */
  userIds: string[];
  /** Their e-mail addresses (logins and persons), collected before anything is blanked. */
  emails: string[];
}

/** A section of the export: a heading and the French label of each field shown on the page. */
export interface ExportSection {
  key: string;
  title: string;
  /** Field → French label; the page shows these columns, in this order (the JSON keeps every field). */
  fields: Record<string, string>;
  /** One row shown as a list of key/value pairs rather than as a table (the household itself, the account). */
  single?: boolean;
  /** Shown when the section has no row. */
  empty: string;
}

export interface PersonalTable {
  name: string;
  /** Columns that tie a row to a household, a person or a login. */
  keys: string[];
  /** Columns holding personal data (names, contact details, free text, health). */
  personal: string[];
  /** Why nothing is exported or anonymised here, when that is the case (e.g. agents' own data). */
  note?: string;
}

export interface PersonalDataDeclaration {
  module: string;
  tables: PersonalTable[];
  sections: ExportSection[];
  /** Rows of each declared section for this household; read only, never a secret (name every column). */
  export(db: Executor, scope: ExportScope): Promise<Record<string, ExportRow[]>>;
  /** Removes or blanks this module's personal data for the scope, inside the anonymisation's transaction. */
  anonymise(tx: Executor, scope: AnonymiseScope, now: Date): Promise<void>;
}

export interface ExportedSection extends ExportSection {
  module: string;
  rows: ExportRow[];
}

/** Runs every declaration's export; sections keep the order of the registry. */
export async function exportPersonalData(db: Executor, declarations: readonly PersonalDataDeclaration[], scope: ExportScope): Promise<ExportedSection[]> {
  const parts = await Promise.all(declarations.map(async (d) => ({ d, rows: await d.export(db, scope) })));
  return parts.flatMap(({ d, rows }) => d.sections.map((s) => ({ ...s, module: d.module, rows: rows[s.key] ?? [] })));
}

/** What a person's names become once anonymised. */
export const ANONYMOUS_NAME = 'Anonyme';

/** The French label of a stored code for the export (a code word is never shown); an unknown code is kept as is. */
export const labelOf = (labels: Readonly<Record<string, string>>, value: string | null): string | null => (value === null ? null : (labels[value] ?? value));

/** A 0/1 column as a boolean in the export. */
export const flag = (v: number | null | undefined): boolean => v === 1;

/** The text left in place of free text (a summary, a message, a notice) that may quote a child's name. */
export const REDACTED = '[anonymisé]';

/** Runs every declaration's anonymisation in registry order, in the caller's transaction. */
export async function anonymisePersonalData(tx: Executor, declarations: readonly PersonalDataDeclaration[], scope: AnonymiseScope, now: Date): Promise<void> {
  for (const d of declarations) await d.anonymise(tx, scope, now);
}
