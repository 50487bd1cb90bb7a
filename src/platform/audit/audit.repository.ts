import type { Db } from '../db/database.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { prepared } from '../db/prepared.ts';
import type { Clock } from '../clock/clock.ts';
import type { AgentRole, Auth } from '../http/auth-types.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface Actor {
  id: string | null;
  label: string;
  /** Set when an agent acts for a household at the counter. */
  onBehalfOfHouseholdId?: string | null;
}

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  /** Plain French, no health data: the log is read by admins and kept for years. */
  summary: string;
}

/** Written with the executor of the change itself, so the change and its trace commit together. */
export async function writeAudit(tx: Executor, at: Date, actor: Actor, entry: AuditEntry): Promise<void> {
  await insertAudit.run(tx, newId(), at.toISOString(), actor.id, actor.label, entry.action, entry.targetType, entry.targetId, entry.summary, actor.onBehalfOfHouseholdId ?? null);
}

// Every change of the portal writes one: built and compiled once.
const insertAudit = prepared((tx, id: string, at: string, actorId: string | null, actorLabel: string, action: string, targetType: string, targetId: string | null, summary: string, onBehalfOf: string | null) =>
  tx.insertInto('audit_log').values({ id, at, actor_id: actorId, actor_label: actorLabel, action, target_type: targetType, target_id: targetId, summary, on_behalf_of_household_id: onBehalfOf }),
);

export interface AuditQuery {
  targetType?: string;
  targetId?: string;
  page: number;
  pageSize: number;
}

export async function listAudit(db: Db, q: AuditQuery) {
  let query = db.selectFrom('audit_log');
  if (q.targetType) query = query.where('target_type', '=', q.targetType);
  if (q.targetId) query = query.where('target_id', '=', q.targetId);
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/**
 * What an agent read about a family, as the family reads it in « Historique »: « Karim Benali
 * (service enfance) a consulté la fiche du foyer ». A closed set, so a call site cannot invent wording.
 */
export const READS = {
  household: 'la fiche du foyer (coordonnées, personnes autorisées, santé en bref)',
  health: 'la fiche sanitaire',
  request: 'une demande',
  attendance: 'la liste de présence',
  attendance_pdf: 'la feuille de présence (PDF)',
  mail: 'un courriel envoyé au foyer',
  campaign: 'la liste d\'une campagne d\'activation',
  letters: 'les lettres d\'activation (adresse postale)',
  export: 'les données du foyer (droit d\'accès)',
} as const;
export type ReadKind = keyof typeof READS;

/** In this order: the service an agent with several roles most likely reads a family's data for. */
const READER_ROLES: [AgentRole, string][] = [
  ['enfance', 'service enfance'],
  ['admin', 'administration'],
  ['regie', 'régie'],
  ['animateur', 'animation'],
  ['restauration', 'restauration'],
];

/** « Karim Benali (service enfance) »: the reader and the service they read for. */
export function readerLabel(auth: Auth): string {
  const role = READER_ROLES.find(([r]) => auth.user.roles.includes(r));
  return `${auth.user.firstName} ${auth.user.lastName}${role ? ` (${role[1]})` : ''}`;
}

/**
 * Audits an agent's read of families' personal data: one row per household read, in one insert
 * (a list of 40 households is one statement, not 40), so a page view costs one write. A guardian
 * reading their own household is not a read to audit; nor is an empty list.
 * `detail` names what was read when it helps the family (« la demande D-2026-000012 »), never health data.
 */
export async function auditRead(tx: Executor, clock: Clock, auth: Auth | null, householdIds: readonly string[], what: ReadKind, detail?: string): Promise<void> {
  if (!auth || auth.user.kind !== 'agent') return;
  const ids = [...new Set(householdIds)];
  if (ids.length === 0) return;
  const at = clock.now().toISOString();
  const reader = readerLabel(auth);
  const summary = `${reader} a consulté ${detail ?? READS[what]}`;
  const label = `${auth.user.firstName} ${auth.user.lastName} (agent)`;
  // Chunked only to stay under the engines' bound-parameter limits on a very long list.
  for (let i = 0; i < ids.length; i += 500) {
    await tx
      .insertInto('audit_log')
      .values(
        ids.slice(i, i + 500).map((householdId) => ({
          id: newId(),
          at,
          actor_id: auth.user.id,
          actor_label: label,
          action: `read.${what}`,
          target_type: 'household',
          target_id: householdId,
          summary,
          on_behalf_of_household_id: auth.actingHouseholdId,
        })),
      )
      .execute();
  }
}
