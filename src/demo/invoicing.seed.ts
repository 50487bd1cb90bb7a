import type { AppContext } from '../platform/context.ts';
import type { Auth } from '../platform/http/auth-types.ts';
import { invoicingService } from '../modules/invoicing/invoicing.service.ts';
import { invoicingDocuments } from '../modules/invoicing/invoicing.documents-service.ts';
import { tariffsPricing } from '../modules/invoicing/invoicing.pricing.ts';
import { monthBounds, previousMonth } from '../modules/invoicing/invoicing.domain.ts';
import { DEFAULT_REGIE_ID } from '../platform/db/migrations/013_invoicing.ts';
import * as tariffs from '../modules/tariffs/tariffs.repository.ts';
import type { ServiceKind } from '../platform/vocabulary.ts';
import { must } from './steps.ts';
import { newId } from '../platform/ids.ts';
import { addDays } from '../platform/calendar/calendar.domain.ts';
import { refdetOf } from '../platform/payfip/payfip.domain.ts';
import * as payments from '../modules/payments/payments.repository.ts';
import { recordOnlinePayment } from '../modules/invoicing/invoicing.payments.ts';
import { ledgerService } from '../modules/invoicing/invoicing.ledger-service.ts';

type Grid = { lines: [number | null, number | null, number][]; category: 'garde' | 'repas'; nonResident: number; second?: number };

/** The demo town's grids (integer cents), by kind of service: QF brackets, a 2nd-child reduction at the canteen, non-residents. */
const GRIDS: Record<ServiceKind, Grid> = {
  canteen: { lines: [[null, 599, 100], [600, 899, 340], [900, 1299, 420], [1300, null, 480]], category: 'repas', nonResident: 550, second: 300 },
  morning: { lines: [[null, 599, 80], [600, 899, 120], [900, null, 180]], category: 'garde', nonResident: 220 },
  evening: { lines: [[null, 599, 120], [600, 899, 180], [900, null, 240]], category: 'garde', nonResident: 300 },
  wednesday: { lines: [[null, 599, 500], [600, 899, 900], [900, null, 1200]], category: 'garde', nonResident: 1500 },
  holiday: { lines: [[null, 599, 500], [600, 899, 900], [900, null, 1200]], category: 'garde', nonResident: 1500 },
};

function linesOf(g: Grid): tariffs.NewLine[] {
  const line = (qfMin: number | null, qfMax: number | null, amount: number, extra: Partial<tariffs.NewLine> = {}): tariffs.NewLine => ({ qf_min: qfMin, qf_max: qfMax, residency: 'resident', rank_min: null, rank_max: null, amount_cents: amount, category: g.category, is_default: 0, ...extra });
  return [
    ...(g.second ? [line(600, 899, g.second, { rank_min: 2, rank_max: null })] : []),
    ...g.lines.map(([min, max, amount]) => line(min, max, amount)),
    { qf_min: null, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: g.nonResident, category: g.category, is_default: 1 },
  ];
}

/**
 * Invoicing in the demo: the minimum tariffs for the services that have none yet (the tariffs
 * module's own demo step may have set them first), the town's places of residence, then last
 * month invoiced by the régie (drafted, controlled, issued) and one credit note on the Durand
 * family's invoice, so that the parent's « Factures » and the régie's pages show real documents.
 */
export async function seedInvoicing(ctx: AppContext, admin: Auth, guardianEmail: string) {
  const { db, clock } = ctx;
  const now = clock.now();
  const month = previousMonth(clock.today().slice(0, 7));
  const { from } = monthBounds(month);
  const services = await db.selectFrom('services').select(['id', 'kind']).where('regie_id', '=', DEFAULT_REGIE_ID).execute();
  const year = await db.selectFrom('school_years').select(['id', 'start_date']).where('start_date', '<=', from).where('end_date', '>=', from).executeTakeFirst();
  await db.transaction().execute(async (tx) => {
    if (year) {
      for (const s of services) {
        const existing = await tx.selectFrom('tariff_versions').select('id').where('service_id', '=', s.id).limit(1).executeTakeFirst();
        if (!existing) await tariffs.insertVersion(tx, { serviceId: s.id, unitId: null, schoolYearId: year.id, appliesFrom: year.start_date, presentWithoutBookingCents: 100, lateCancellationCents: 50, createdBy: admin.user.id }, linesOf(GRIDS[s.kind]), now);
      }
    }
    if (!(await tx.selectFrom('resident_places').select('postcode').limit(1).executeTakeFirst())) await tariffs.replaceResidentPlaces(tx, [{ postcode: '62160', city_key: 'beauval', city: 'Beauval' }]);
  });

  const runs = invoicingService(ctx, tariffsPricing(clock));
  const run = await runs.openRun(admin, DEFAULT_REGIE_ID, month);
  const draft = must('brouillon de la facturation du mois dernier', await runs.draft(admin, run.id));
  must('contrôle de la facturation du mois dernier', await runs.control(admin, run.id, draft.version));
  must('émission de la facturation du mois dernier', await runs.issue(admin, run.id));

  const invoice = await db
    .selectFrom('invoices')
    .innerJoin('household_members as m', 'm.household_id', 'invoices.household_id')
    .innerJoin('persons as p', 'p.id', 'm.person_id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select('invoices.id')
    .where('invoices.run_id', '=', run.id)
    .where('u.email', '=', guardianEmail)
    .executeTakeFirst();
  if (invoice) {
    const docs = invoicingDocuments(ctx);
    const { lines } = await docs.agentInvoice(admin, invoice.id);
    if (lines[0]) must('avoir de démonstration', await docs.creditNote(admin, invoice.id, [lines[0].booking_id], 'Absence pour maladie signalée avec un certificat après la facturation'));
  }
  await seedPayments(ctx, admin, run.id, invoice?.id ?? null);
}

/**
 * Payments of last month's run (issue 11), the Durand family's invoice left to pay online: one paid
 * by card through the rows the PayFiP path writes (a settled transaction, then the ledger), one by
 * cheque and one partly in cash at the counter (the régie's own service), and one unpaid whose due
 * date is moved back a month so that the reminder and the Trésor's export have something to show.
 */
async function seedPayments(ctx: AppContext, admin: Auth, runId: string, keepId: string | null) {
  const { db, clock } = ctx;
  const invoices = (await db.selectFrom('invoices').select(['id', 'household_id', 'total_cents', 'number', 'due_on']).where('run_id', '=', runId).orderBy('number').execute()).filter((i) => i.id !== keepId);
  const [card, cheque, partial, late] = invoices;
  const now = clock.now();
  if (card) {
    const id = newId();
    const stamp = now.toISOString();
    const amount = Number(card.total_cents);
    await db.transaction().execute(async (tx) => {
      await payments.insertTransaction(tx, { id, householdId: card.household_id, amountCents: amount, items: JSON.stringify([{ invoiceId: card.id, amountCents: amount }]), refdet: refdetOf(id), now: stamp });
      await payments.settleTransaction(tx, id, { status: 'paid', means: 'card', bankData: null, now: stamp });
      await recordOnlinePayment(tx, now, { id, householdId: card.household_id, refdet: refdetOf(id), amountCents: amount, means: 'card', items: [{ invoiceId: card.id, amountCents: amount }] });
    });
  }
  const ledger = ledgerService(ctx);
  const euros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
  if (cheque) {
    const r = await ledger.recordCounter(admin, cheque.household_id, { means: 'cheque', amount: euros(Number(cheque.total_cents)), chequeNumber: '0004217', bank: 'Crédit Agricole Nord de France', invoiceIds: [cheque.id] });
    if (!r.ok) throw new Error(`Démonstration : chèque refusé (${JSON.stringify(r.errors)})`);
  }
  if (partial) {
    const r = await ledger.recordCounter(admin, partial.household_id, { means: 'cash', amount: euros(Math.max(100, Math.floor(Number(partial.total_cents) / 2))), chequeNumber: '', bank: '', invoiceIds: [partial.id] });
    if (!r.ok) throw new Error(`Démonstration : paiement en espèces refusé (${JSON.stringify(r.errors)})`);
  }
  if (late) await db.updateTable('invoices').set({ due_on: addDays(clock.today(), -10) }).where('id', '=', late.id).execute();
}
