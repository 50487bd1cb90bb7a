import type { AppContext } from '../../src/platform/context.ts';
import { newId } from '../../src/platform/ids.ts';

/** Rows written straight for the notification and audience tests: a wallet document, an issued invoice. */

const at = '2026-11-01T09:00:00.000Z';

export async function aDocument(ctx: AppContext, d: { householdId: string; typeCode: string; status: 'pending' | 'validated' | 'refused'; validUntil: string | null; personId?: string | null }) {
  const type = await ctx.db.selectFrom('document_types').select('id').where('code', '=', d.typeCode).executeTakeFirstOrThrow();
  const fileId = newId();
  await ctx.db.insertInto('stored_files').values({ id: fileId, household_id: d.householdId, purpose: 'document', media_type: 'application/pdf', byte_size: 10, original_name: 'piece.pdf', state: 'stored', backend: 'directory', created_at: at, delete_after: null }).execute();
  const id = newId();
  await ctx.db
    .insertInto('documents')
    .values({ id, household_id: d.householdId, person_id: d.personId ?? null, type_id: type.id, file_id: fileId, status: d.status, document_date: '2026-01-01', valid_until: d.validUntil, refusal_reason: d.status === 'refused' ? 'Illisible' : null, qf_value: null, qf_month: null, created_at: at, created_by: null, created_by_label: 'Famille', decided_at: null, decided_by: null, decided_by_label: null })
    .execute();
  return { id, typeId: type.id };
}

let seq = 0;

export async function anInvoice(ctx: AppContext, i: { householdId: string; dueOn: string; totalCents: number; paidCents?: number; creditedCents?: number }) {
  let regie = await ctx.db.selectFrom('regies').select('id').orderBy('created_at').executeTakeFirst();
  if (!regie) {
    regie = { id: newId() };
    await ctx.db.insertInto('regies').values({ id: regie.id, name: 'Régie test', created_at: at }).execute();
  }
  const runId = newId();
  await ctx.db.insertInto('invoice_runs').values({ id: runId, regie_id: regie.id, month: `${2000 + seq}-01`, status: 'issued', draft_version: 1, drafted_at: at, drafted_by: null, controlled_version: 1, controlled_at: at, controlled_by: null, issued_at: at, issued_by: null, created_at: at }).execute();
  const id = newId();
  seq += 1;
  await ctx.db
    .insertInto('invoices')
    .values({ id, number: `F-T-${seq}`, year: 2026, seq: 900000 + seq, run_id: runId, regie_id: regie.id, household_id: i.householdId, month: '2026-10', issued_at: at, due_on: i.dueOn, total_cents: i.totalCents, payer_name: 'Payeur', payer_address: 'Beauval', paid_cents: i.paidCents ?? 0, credited_cents: i.creditedCents ?? 0 })
    .execute();
  return id;
}
