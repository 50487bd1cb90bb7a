import type { AppContext } from '../../platform/context.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { ANOMALY_KINDS, previousMonth } from './invoicing.domain.ts';
import { csvAmount, csvRow, CSV_BOM } from './invoicing.csv.ts';
import { INVOICE_STATUS_LABELS } from './invoicing.outcomes.ts';
import { invoiceStatus } from './invoicing.domain.ts';
import * as repo from './invoicing.repository.ts';
import * as reads from './invoicing.reads.repository.ts';
import { invoicesOfRun, invoicesOfRunPage } from './invoicing.documents.repository.ts';

/** Invoices per page on an issued run's page. */
export const RUN_INVOICES_PAGE = 50;

/** What the régie's pages read (`regie`, `admin`): the home with its runs, a run's control and totals, the CSV export. */
export function invoicingRegieReads(ctx: AppContext) {
  const { db, clock } = ctx;

  async function runOf(auth: Auth | null, runId: string) {
    assertRole(auth, 'admin', 'regie');
    const run = await repo.run(db, runId);
    if (!run) throw new NotFoundError();
    return { run, regie: (await repo.regie(db, run.regie_id))! };
  }

  return {
    /** Every régie with its last runs and their totals; months offered: the last twelve that are over. */
    async home(auth: Auth | null) {
      assertRole(auth, 'admin', 'regie');
      const regies = await repo.regies(db);
      const runs = (await Promise.all(regies.map((r) => repo.runsOf(db, r.id)))).flat();
      const ids = runs.map((r) => r.id);
      const [issued, drafts] = await Promise.all([reads.runTotals(db, ids), reads.draftRunTotals(db, ids)]);
      const issuedBy = new Map(issued.map((t) => [t.run_id, t]));
      const draftBy = new Map(drafts.map((t) => [t.run_id, t]));
      const months: string[] = [];
      for (let m = previousMonth(clock.today().slice(0, 7)); months.length < 12; m = previousMonth(m)) months.push(m);
      return {
        months,
        regies: regies.map((g) => ({
          ...g,
          runs: runs
            .filter((r) => r.regie_id === g.id)
            .map((r) => {
              const i = issuedBy.get(r.id);
              const d = draftBy.get(r.id);
              return { ...r, draft_version: Number(r.draft_version), invoices: i ? Number(i.invoices) : null, cents: i ? Number(i.cents) : d ? Number(d.cents) : null, credited: i ? Number(i.credited ?? 0) : null };
            }),
        })),
      };
    },

    /** A run; once issued, one page of its invoices (bounded) with the totals of all of them. */
    async run(auth: Auth | null, runId: string, page = 1) {
      const { run, regie } = await runOf(auth, runId);
      const version = Number(run.draft_version);
      if (run.status === 'issued') {
        const [totals, sums, rows] = await Promise.all([reads.issuedTotals(db, run.id), reads.runTotals(db, [run.id]), invoicesOfRun(db, run.id, page, RUN_INVOICES_PAGE)]);
        const sum = sums[0];
        const invoices = {
          page,
          pageSize: RUN_INVOICES_PAGE,
          total: Number(sum?.invoices ?? 0),
          sums: { cents: Number(sum?.cents ?? 0), credited: Number(sum?.credited ?? 0), paid: Number(sum?.paid ?? 0) },
          rows: rows.map((i) => ({ ...i, total_cents: Number(i.total_cents), credited_cents: Number(i.credited_cents), paid_cents: Number(i.paid_cents), status: invoiceStatus(Number(i.total_cents), Number(i.paid_cents), Number(i.credited_cents)) })),
        };
        return { run: { ...run, draft_version: version }, regie, anomalies: [], totals, invoices, summary: { lines: totals.reduce((s, t) => s + Number(t.lines), 0), cents: invoices.sums.cents, invoices: invoices.total, households: invoices.total } };
      }
      const [counts, changed, totals] = await Promise.all([reads.anomalyCounts(db, run.id), reads.changedCount(db, run.id, version), reads.draftTotals(db, run.id, version)]);
      const countOf = new Map(counts.map((c) => [c.kind, Number(c.n)]));
      countOf.set('changed', changed);
      const anomalies = await Promise.all(
        ANOMALY_KINDS.filter((k) => (countOf.get(k) ?? 0) > 0).map(async (kind) => ({
          kind,
          count: countOf.get(kind) ?? 0,
          sample: kind === 'changed' ? await reads.changedSample(db, run.id, version) : await reads.anomalySample(db, run.id, kind),
        })),
      );
      const households = await reads.draftHouseholdCount(db, run.id, version);
      return { run: { ...run, draft_version: version }, regie, anomalies, totals, invoices: null, summary: { lines: totals.reduce((s, t) => s + Number(t.lines), 0), cents: totals.reduce((s, t) => s + Number(t.cents), 0), invoices: null, households } };
    },

    /** The issued run's invoices as CSV, read a page at a time (memory bounded whatever the town's size). */
    async *csv(auth: Auth | null, runId: string): AsyncGenerator<string> {
      const { run } = await runOf(auth, runId);
      if (run.status !== 'issued') throw new NotFoundError();
      yield CSV_BOM + csvRow(['Numéro', 'Foyer', 'Payeur', 'Mois', 'Émise le', 'À régler avant le', 'Montant (€)', 'Avoirs (€)', 'Payé (€)', 'État']);
      for (let after = 0; ; ) {
        const page = await invoicesOfRunPage(db, run.id, after, 1000);
        if (page.length === 0) return;
        yield page
          .map((i) => csvRow([i.number, i.reference, i.payer_name, i.month, i.issued_at.slice(0, 10), i.due_on, csvAmount(Number(i.total_cents)), csvAmount(Number(i.credited_cents)), csvAmount(Number(i.paid_cents)), INVOICE_STATUS_LABELS[invoiceStatus(Number(i.total_cents), Number(i.paid_cents), Number(i.credited_cents))]]))
          .join('');
        after = Number(page[page.length - 1].seq);
      }
    },
  };
}

export type InvoicingRegieReads = ReturnType<typeof invoicingRegieReads>;
