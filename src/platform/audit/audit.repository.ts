import type { Db } from '../db/database.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';

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
  await tx
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: at.toISOString(),
      actor_id: actor.id,
      actor_label: actor.label,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      summary: entry.summary,
      on_behalf_of_household_id: actor.onBehalfOfHouseholdId ?? null,
    })
    .execute();
}

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
