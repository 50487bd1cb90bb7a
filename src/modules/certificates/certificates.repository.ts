import { sql } from 'kysely';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { CertificatesTable } from '../../platform/db/schema-certificates.ts';

/** The only SQL of the certificates: the household's holder and children, attendance, the payment ledger, certificates. */

/** The household, its payer (the designated payer, else its first guardian) and its children, in two queries. */
export async function householdForCertificate(db: Executor, householdId: string) {
  const household = await db
    .selectFrom('households')
    .leftJoin('persons as payer', 'payer.id', 'households.payer_person_id')
    .select(['households.id', 'households.reference', 'households.name', 'households.address_line1', 'households.address_line2', 'households.postcode', 'households.city', 'households.anonymised_at', 'payer.first_name as payer_first', 'payer.last_name as payer_last', 'payer.sex as payer_sex'])
    .where('households.id', '=', householdId)
    .executeTakeFirst();
  if (!household) return undefined;
  const members = await db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .select(['persons.id', 'persons.first_name', 'persons.last_name', 'persons.birth_date', 'persons.sex', 'household_members.role'])
    .where('household_members.household_id', '=', householdId)
    .orderBy('persons.birth_date')
    .orderBy('persons.id')
    .execute();
  const guardian = members.find((m) => m.role === 'guardian');
  const payer = household.payer_first !== null ? { first_name: household.payer_first, last_name: household.payer_last ?? '', sex: household.payer_sex } : guardian ? { first_name: guardian.first_name, last_name: guardian.last_name, sex: guardian.sex } : { first_name: '', last_name: '', sex: null };
  return { ...household, payer, children: members.filter((m) => m.role === 'child') };
}

/** Days a child of this household was present (booked and present, or present without booking), with the service. */
export async function presentDays(db: Executor, householdId: string, childId: string, from: string, to: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .select(['bookings.day', 'services.name as service_name'])
    .where('bookings.household_id', '=', householdId)
    .where('bookings.child_person_id', '=', childId)
    .where('bookings.day', '>=', from)
    .where('bookings.day', '<=', to)
    .where('bookings.attendance', 'in', ['present', 'present_unbooked'])
    .orderBy('bookings.day')
    .orderBy('services.name')
    .execute();
}

/** Active payments of the household received in [from, to) (instants), each with its active allocations and the invoices' numbers. */
export async function paymentsReceived(db: Executor, householdId: string, from: string, to: string) {
  const payments = await db
    .selectFrom('payments')
    .select(['id', 'number', 'means', 'amount_cents', 'received_at'])
    .where('household_id', '=', householdId)
    .where('cancelled_at', 'is', null)
    .where('received_at', '>=', from)
    .where('received_at', '<', to)
    .orderBy('received_at')
    .orderBy('number')
    .execute();
  if (payments.length === 0) return [];
  const allocations = await db
    .selectFrom('payment_allocations')
    .innerJoin('invoices', 'invoices.id', 'payment_allocations.invoice_id')
    .select(['payment_allocations.payment_id', 'payment_allocations.amount_cents', 'invoices.number as invoice_number', 'invoices.month'])
    .where('payment_allocations.payment_id', 'in', payments.map((p) => p.id))
    .where('payment_allocations.household_id', '=', householdId)
    .where('payment_allocations.cancelled_at', 'is', null)
    .orderBy('invoices.number')
    .execute();
  return payments.map((p) => ({ ...p, amount_cents: Number(p.amount_cents), allocations: allocations.filter((a) => a.payment_id === p.id).map((a) => ({ ...a, amount_cents: Number(a.amount_cents) })) }));
}

/**
 * What the tax certificate needs for a year: per invoice of the household, what active payments
 * received in the year allocated to it, its net amount, and its garde lines per child (surcharges and
 * credited lines taken off). Three queries whatever the number of invoices.
 */
export async function taxInputs(db: Executor, householdId: string, from: string, to: string) {
  const paid = await db
    .selectFrom('payment_allocations')
    .innerJoin('payments', 'payments.id', 'payment_allocations.payment_id')
    .innerJoin('invoices', 'invoices.id', 'payment_allocations.invoice_id')
    .select(['invoices.id', 'invoices.total_cents', 'invoices.credited_cents', (eb) => eb.fn.sum<number>('payment_allocations.amount_cents').as('paid')])
    .where('payment_allocations.household_id', '=', householdId)
    .where('invoices.household_id', '=', householdId)
    .where('payment_allocations.cancelled_at', 'is', null)
    .where('payments.cancelled_at', 'is', null)
    .where('payments.received_at', '>=', from)
    .where('payments.received_at', '<', to)
    .groupBy(['invoices.id', 'invoices.total_cents', 'invoices.credited_cents'])
    .execute();
  if (paid.length === 0) return { invoices: [], garde: [] };
  const ids = paid.map((p) => p.id);
  const garde = await db
    .selectFrom('invoice_lines')
    .leftJoin('credit_note_lines', (j) => j.onRef('credit_note_lines.invoice_id', '=', 'invoice_lines.invoice_id').onRef('credit_note_lines.booking_id', '=', 'invoice_lines.booking_id'))
    .select(['invoice_lines.invoice_id', 'invoice_lines.child_person_id', (eb) => eb.fn.sum<number>(sql`invoice_lines.amount_cents - invoice_lines.surcharge_cents`).as('garde')])
    .where('invoice_lines.invoice_id', 'in', ids)
    .where('invoice_lines.category', '=', 'garde')
    .where('credit_note_lines.booking_id', 'is', null)
    .groupBy(['invoice_lines.invoice_id', 'invoice_lines.child_person_id'])
    .execute();
  return {
    invoices: paid.map((p) => ({ id: p.id, netCents: Number(p.total_cents) - Number(p.credited_cents), paidCents: Number(p.paid) })),
    garde: garde.map((g) => ({ invoiceId: g.invoice_id, childId: g.child_person_id, cents: Number(g.garde) })),
  };
}

/** Birth dates and names of the children billed on these lines (a child may have left the household since). */
export async function personsByIds(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('persons').select(['id', 'first_name', 'last_name', 'birth_date']).where('id', 'in', [...ids]).execute();
}

export async function insertCertificate(tx: Executor, row: CertificatesTable) {
  await tx.insertInto('certificates').values(row).execute();
}

export async function certificatesOf(db: Executor, householdId: string) {
  return db
    .selectFrom('certificates')
    .leftJoin('persons', 'persons.id', 'certificates.child_person_id')
    .select(['certificates.id', 'certificates.number', 'certificates.kind', 'certificates.period_start', 'certificates.period_end', 'certificates.amount_cents', 'certificates.day_count', 'certificates.issued_at', 'certificates.issued_by', 'persons.first_name as child_first_name'])
    .where('certificates.household_id', '=', householdId)
    .orderBy('certificates.issued_at', 'desc')
    .orderBy('certificates.number', 'desc')
    .limit(50)
    .execute();
}

/** One row by its number: what the verification page may show, and the hash to compare. */
export async function certificateByNumber(db: Executor, number: string) {
  return db
    .selectFrom('certificates')
    .select(['number', 'kind', 'period_start', 'period_end', 'amount_cents', 'day_count', 'holder_initials', 'code_hash', 'issued_at'])
    .where('number', '=', number)
    .executeTakeFirst();
}

// PES V2 export.

export async function runForPes(db: Executor, runId: string) {
  return db.selectFrom('invoice_runs').innerJoin('regies', 'regies.id', 'invoice_runs.regie_id').select(['invoice_runs.id', 'invoice_runs.month', 'invoice_runs.status', 'invoice_runs.issued_at', 'regies.name as regie_name']).where('invoice_runs.id', '=', runId).executeTakeFirst();
}

/** The run's invoices with what is still owed after credit notes, and the payer as the Trésor must reach them today. */
export async function invoicesForPes(db: Executor, runId: string) {
  return db
    .selectFrom('invoices')
    .innerJoin('households', 'households.id', 'invoices.household_id')
    .leftJoin('persons as payer', 'payer.id', 'households.payer_person_id')
    .select(['invoices.number', 'invoices.total_cents', 'invoices.credited_cents', 'invoices.payer_name', 'invoices.household_id', 'households.address_line1', 'households.address_line2', 'households.postcode', 'households.city', 'payer.first_name as payer_first', 'payer.last_name as payer_last', 'payer.sex as payer_sex'])
    .where('invoices.run_id', '=', runId)
    .orderBy('invoices.seq')
    .execute();
}

/** The first guardian of each household (when no payer is designated), one query. */
export async function firstGuardians(db: Executor, householdIds: readonly string[]) {
  if (householdIds.length === 0) return [];
  return db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .select(['household_members.household_id', 'persons.first_name', 'persons.last_name', 'persons.sex', 'household_members.created_at'])
    .where('household_members.household_id', 'in', [...householdIds])
    .where('household_members.role', '=', 'guardian')
    .orderBy('household_members.created_at')
    .orderBy('persons.id')
    .execute();
}

export async function pesExportOf(db: Executor, runId: string) {
  return db.selectFrom('pes_exports').selectAll().where('run_id', '=', runId).executeTakeFirst();
}

/** Records the run's bordereau once: a second export at the same instant keeps the first number (unique run_id). */
export async function insertPesExport(tx: Executor, row: { run_id: string; year: number; id_bord: number; exported_at: string; exported_by: string | null }) {
  await tx.insertInto('pes_exports').values(row).onConflict((oc) => oc.column('run_id').doNothing()).execute();
}
