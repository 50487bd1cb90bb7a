import type { AppContext } from '../../platform/context.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { notify } from '../messaging/messaging.notifications-service.ts';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong, formatEuros } from '../../platform/format.ts';
import { newId } from '../../platform/ids.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { BLOCKING_ANOMALIES, documentNumber, dueDate, runRefusal, type RunRefusal } from './invoicing.domain.ts';
import { computeDraft, type DraftSummary } from './invoicing.draft.ts';
import { AUDIT } from './invoicing.outcomes.ts';
import type { Pricing } from './invoicing.pricing.ts';
import * as repo from './invoicing.repository.ts';
import * as issueRepo from './invoicing.issue.repository.ts';
import * as reads from './invoicing.reads.repository.ts';
import { applyCreditToRun } from './invoicing.payments.ts';

/** Test seams: a failure injected halfway through an issue must leave nothing issued. */
export interface InvoicingHooks {
  /** Called inside the issuing transaction once invoices are written, before their lines. */
  afterInvoices?: (tx: Executor) => Promise<void> | void;
}

/**
 * The régie's monthly runs (`regie` and `admin` only): draft (redone at will) → control → issue.
 * Each step is one transaction; issuing numbers, writes, locks and e-mails together or not at all.
 */
export function invoicingService(ctx: AppContext, pricing: Pricing, hooks: InvoicingHooks = {}) {
  const { db, clock, config } = ctx;

  async function runOf(auth: Auth | null, runId: string) {
    assertRole(auth, 'admin', 'regie');
    const run = await repo.run(db, runId);
    if (!run) throw new NotFoundError();
    const regie = await repo.regie(db, run.regie_id);
    return { run, regie: regie! };
  }

  const facts = (run: { status: 'draft' | 'controlled' | 'issued'; draft_version: number; controlled_version: number | null; month: string }) => ({
    status: run.status,
    draftVersion: Number(run.draft_version),
    controlledVersion: run.controlled_version === null ? null : Number(run.controlled_version),
    month: run.month,
  });

  return {
    async regies(auth: Auth | null) {
      assertRole(auth, 'admin', 'regie');
      return repo.regies(db);
    },

    /** The run of a régie's month, created as an empty draft when first opened. */
    async openRun(auth: Auth | null, regieId: string, month: string) {
      assertRole(auth, 'admin', 'regie');
      if (!(await repo.regie(db, regieId))) throw new NotFoundError();
      return repo.ensureRun(db, regieId, month, clock.now());
    },

    runOf,

    async draft(auth: Auth | null, runId: string): Promise<Result<DraftSummary, RunRefusal>> {
      const { run, regie } = await runOf(auth, runId);
      const refusal = runRefusal('draft', facts(run), clock.today());
      if (refusal) return fail(refusal);
      const now = clock.now();
      return db.transaction().execute(async (tx): Promise<Result<DraftSummary, RunRefusal>> => {
        // A move of a service between régies (invoicing.regies-service.ts) and this draft follow each other.
        await repo.lockRegies(tx, [run.regie_id]);
        const version = await repo.startDraft(tx, run.id, auth!.user.id, now);
        if (version === null) return fail('already_issued');
        const summary = await computeDraft(tx, pricing, run, version);
        await writeAudit(tx, now, actorOf(auth!), { action: 'invoicing.drafted', targetType: 'invoice_run', targetId: run.id, summary: AUDIT.drafted(run.month, regie.name) });
        return ok(summary);
      });
    },

    /** The régie read the control page of this draft version and accepts it. */
    async control(auth: Auth | null, runId: string, version: number): Promise<Result<null, RunRefusal>> {
      const { run, regie } = await runOf(auth, runId);
      const blocking = await issueRepo.countBlocking(db, run.id, BLOCKING_ANOMALIES);
      const refusal = runRefusal('control', facts(run), clock.today(), blocking) ?? (Number(run.draft_version) === version ? null : 'stale_control');
      if (refusal) return fail(refusal);
      const now = clock.now();
      return db.transaction().execute(async (tx): Promise<Result<null, RunRefusal>> => {
        if (!(await reads.markControlled(tx, run.id, version, auth!.user.id, now))) return fail('stale_control');
        await writeAudit(tx, now, actorOf(auth!), { action: 'invoicing.controlled', targetType: 'invoice_run', targetId: run.id, summary: AUDIT.controlled(run.month, regie.name) });
        return ok(null);
      });
    },

    /**
     * Issues the controlled draft: numbers for the year taken in one block from the counter row,
     * invoices, their lines copied from the draft, the month locked, tariff versions frozen, one
     * e-mail per guardian. One transaction: a failure anywhere leaves nothing issued.
     */
    async issue(auth: Auth | null, runId: string): Promise<Result<{ invoices: number }, RunRefusal>> {
      const { run, regie } = await runOf(auth, runId);
      const refusal = runRefusal('issue', facts(run), clock.today());
      if (refusal) return fail(refusal);
      const now = clock.now();
      const today = clock.today();
      const year = Number(today.slice(0, 4));
      return db.transaction().execute(async (tx): Promise<Result<{ invoices: number }, RunRefusal>> => {
        if (!(await issueRepo.claimIssue(tx, run.id, auth!.user.id, now))) {
          const again = await repo.run(tx, run.id);
          return fail(runRefusal('issue', facts(again!), today) ?? 'stale_control');
        }
        const version = Number(run.draft_version);
        const households = await issueRepo.draftHouseholds(tx, run.id, version);
        const first = households.length > 0 ? await issueRepo.reserveNumbers(tx, `invoice-${year}`, households.length) : 0;
        const due = dueDate(today);
        const invoices = households.map((h, i) => ({
          id: newId(),
          number: documentNumber('F', year, first + i),
          year,
          seq: first + i,
          run_id: run.id,
          regie_id: run.regie_id,
          household_id: h.household_id,
          month: run.month,
          issued_at: now.toISOString(),
          due_on: due,
          total_cents: Number(h.total),
          payer_name: h.payer_first ? `${h.payer_first} ${h.payer_last}` : h.name,
          payer_address: [h.address_line1, h.address_line2, `${h.postcode} ${h.city}`].filter(Boolean).join('\n'),
          paid_cents: 0,
          credited_cents: 0,
        }));
        await issueRepo.insertInvoices(tx, invoices);
        await hooks.afterInvoices?.(tx);
        await issueRepo.copyLines(tx, run.id, version);
        await pricing.lock(tx, await issueRepo.tariffVersionsOf(tx, run.id, version));
        await issueRepo.lockMonth(tx, run.regie_id, run.month, run.id, now);
        await issueRepo.deleteDraft(tx, run.id);
        // A household's credit (an overpayment kept by the régie) pays its new invoice at once, in this transaction.
        await applyCreditToRun(tx, now, run.id, run.regie_id);
        // Each household is told through the town's notification « invoice_issued » (inbox and e-mail, in batches).
        await notify(
          tx,
          ctx,
          now,
          'invoice_issued',
          invoices.map((inv) => ({
            householdId: inv.household_id,
            fact: inv.id,
            values: { numero: inv.number, mois: monthLabel(run.month), montant: formatEuros(inv.total_cents), echeance: formatDateLong(due), lien: `${config.publicUrl}/factures/${inv.id}` },
          })),
        );
        await writeAudit(tx, now, actorOf(auth!), { action: 'invoicing.issued', targetType: 'invoice_run', targetId: run.id, summary: AUDIT.issued(run.month, regie.name, invoices.length) });
        return ok({ invoices: invoices.length });
      });
    },
  };
}

export type InvoicingService = ReturnType<typeof invoicingService>;
