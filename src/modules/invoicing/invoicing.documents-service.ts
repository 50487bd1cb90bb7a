import type { AppContext } from '../../platform/context.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf, type FamilyActor } from '../../platform/http/actor.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { insertMails } from '../../platform/mail/outbox.repository.ts';
import { newId } from '../../platform/ids.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { creditTotal, documentNumber, invoiceStatus, remainingCents } from './invoicing.domain.ts';
import { AUDIT, MAILS, type CreditRefusal } from './invoicing.outcomes.ts';
import * as docs from './invoicing.documents.repository.ts';
import { guardianEmailsOf, reserveNumbers } from './invoicing.issue.repository.ts';
import { invoicePdf } from './invoicing.pdf.ts';

export const REASON_MAX = 500;

/**
 * Invoices and credit notes once issued: the family reads its own (another household's id is a
 * 404), agents read any household's, the régie issues credit notes. Nothing here changes an
 * invoice's lines: a credit note adds rows and raises the invoice's credited amount.
 */
export function invoicingDocuments(ctx: AppContext) {
  const { db, clock, config } = ctx;

  const withStatus = <T extends { total_cents: number; paid_cents: number; credited_cents: number }>(i: T) => ({
    ...i,
    status: invoiceStatus(Number(i.total_cents), Number(i.paid_cents), Number(i.credited_cents)),
    remaining: remainingCents(Number(i.total_cents), Number(i.paid_cents), Number(i.credited_cents)),
  });

  async function account(householdId: string) {
    const [invoices, creditNotes, balance] = await Promise.all([docs.invoicesOf(db, householdId), docs.creditNotesOf(db, householdId), docs.balanceOf(db, householdId)]);
    return { invoices: invoices.map(withStatus), creditNotes, balance: { ...balance, dueCents: balance.totalCents - balance.creditedCents - balance.paidCents } };
  }

  async function fullInvoice(id: string) {
    const inv = await docs.invoice(db, id);
    if (!inv) throw new NotFoundError();
    const [lines, creditNotes] = await Promise.all([docs.linesOf(db, id), docs.creditNotesOfInvoice(db, id)]);
    return { invoice: withStatus(inv), lines, creditNotes };
  }

  const familyInvoice = async (actor: FamilyActor, id: string) => {
    const found = await fullInvoice(id);
    if (found.invoice.household_id !== actor.householdId) throw new NotFoundError();
    return found;
  };

  const agentReads = (auth: Auth | null) => assertRole(auth, 'admin', 'regie', 'enfance');

  const pdfOf = (found: Awaited<ReturnType<typeof fullInvoice>>) => invoicePdf({ ...found, town: config.town.name });

  return {
    familyAccount: (actor: FamilyActor) => account(actor.householdId),
    /** For the agent's household page, whose own guard already checked the agent's role. */
    accountOf: (householdId: string) => account(householdId),
    familyInvoice,
    familyPdf: async (actor: FamilyActor, id: string) => {
      const found = await familyInvoice(actor, id);
      return { number: found.invoice.number, pdf: await pdfOf(found) };
    },

    async agentAccount(auth: Auth | null, householdId: string) {
      agentReads(auth);
      return account(householdId);
    },
    async agentInvoice(auth: Auth | null, id: string) {
      agentReads(auth);
      return fullInvoice(id);
    },
    async agentPdf(auth: Auth | null, id: string) {
      agentReads(auth);
      const found = await fullInvoice(id);
      return { number: found.invoice.number, pdf: await pdfOf(found) };
    },

    /**
     * A credit note on chosen lines of an invoice (`regie`, `admin`), with a reason the family
     * reads: its own yearly number, taken in the same transaction; a line already credited refuses
     * the whole note (unique row per invoice line, so two agents at once cannot both credit it).
     */
    async creditNote(auth: Auth | null, invoiceId: string, bookingIds: readonly string[], reason: string): Promise<Result<{ id: string; number: string }, CreditRefusal>> {
      assertRole(auth, 'admin', 'regie');
      const found = await fullInvoice(invoiceId);
      if (!reason.trim()) return fail('no_reason');
      const chosen = new Set(bookingIds);
      const lines = found.lines.filter((l) => chosen.has(l.booking_id));
      if (lines.length !== chosen.size) throw new NotFoundError();
      const total = creditTotal(lines.map((l) => ({ amountCents: Number(l.amount_cents), credited: l.credit_note_number !== null })));
      if (!total.ok) return fail(total.code);
      const now = clock.now();
      const year = Number(clock.today().slice(0, 4));
      const inv = found.invoice;
      return db.transaction().execute(async (tx): Promise<Result<{ id: string; number: string }, CreditRefusal>> => {
        await docs.lockInvoice(tx, inv.id);
        const seq = await reserveNumbers(tx, `credit-note-${year}`, 1);
        const id = newId();
        const number = documentNumber('A', year, seq);
        try {
          await docs.insertCreditNote(
            tx,
            { id, number, year, seq, invoice_id: inv.id, household_id: inv.household_id, regie_id: inv.regie_id, issued_at: now.toISOString(), issued_by: auth.user.id, reason: reason.trim(), amount_cents: total.cents },
            lines.map((l) => ({ credit_note_id: id, invoice_id: inv.id, booking_id: l.booking_id, category: l.category, amount_cents: Number(l.amount_cents) })),
          );
        } catch (err) {
          // Another agent credited one of these lines meanwhile (unique row): nothing of this note stays.
          if (['23505', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE'].includes((err as { code?: string }).code ?? '')) throw new CreditConflict();
          throw err;
        }
        const recipients = await guardianEmailsOf(tx, [inv.household_id]);
        const m = MAILS.creditNote({ number, invoice: inv.number, amount: total.cents, reason: reason.trim(), link: `${config.publicUrl}/factures/${inv.id}`, town: config.town.name });
        await insertMails(tx, now, recipients.flatMap((r) => (r.email ? [{ kind: 'credit-note-issued', to: r.email, subject: m.subject, text: m.text, householdId: inv.household_id, dedupeKey: `credit-note:${id}:${r.email}` }] : [])));
        await writeAudit(tx, now, actorOf(auth), { action: 'invoicing.credit_note', targetType: 'household', targetId: inv.household_id, summary: AUDIT.credited(number, inv.number, total.cents, reason.trim()) });
        return ok({ id, number });
      }).catch((err: unknown) => {
        if (err instanceof CreditConflict) return fail('already_credited' as const);
        throw err;
      });
    },
  };
}

class CreditConflict extends Error {}

export type InvoicingDocuments = ReturnType<typeof invoicingDocuments>;
