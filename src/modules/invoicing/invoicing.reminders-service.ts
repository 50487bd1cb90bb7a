import type { AppContext } from '../../platform/context.ts';
import { insertMails, type OutgoingMail } from '../../platform/mail/outbox.repository.ts';
import { assertRole } from '../../platform/http/guards.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { csvAmount, csvRow, CSV_BOM } from './invoicing.csv.ts';
import { dueOf, reminderNumber } from './invoicing.ledger.domain.ts';
import { guardianEmailsOf } from './invoicing.issue.repository.ts';
import { paymentReminderMail } from './invoicing.mails.ts';
import { overdueInvoicesPage } from './invoicing.payments.repository.ts';

const PAGE = 500;

/**
 * Reminders of unpaid invoices past their due date, through the outbox: the first the day after the
 * due date, then one every `paymentReminderDays` (config, 15 by default). Idempotent: the dedupe key
 * `invoice-reminder:<invoice>:<n>:<address>` makes a second run, or a second worker at the same
 * moment, queue nothing more. Run by the worker loop (main.ts, hourly) and `npm run cli -- send-reminders`.
 */
export async function sendPaymentReminders(ctx: AppContext): Promise<{ invoices: number }> {
  const { db, clock, config } = ctx;
  const today = clock.today();
  const now = clock.now();
  let after = '';
  let invoices = 0;
  for (;;) {
    const page = await overdueInvoicesPage(db, today, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1].id;
    const recipients = await guardianEmailsOf(db, [...new Set(page.map((i) => i.household_id))]);
    const mails: OutgoingMail[] = [];
    for (const inv of page) {
      const nth = reminderNumber(inv.due_on, today, config.paymentReminderDays);
      if (nth === 0) continue;
      invoices++;
      const m = paymentReminderMail({ number: inv.number, month: inv.month, remainingCents: dueOf(inv), dueOn: inv.due_on, link: `${config.publicUrl}/factures/${inv.id}`, town: config.town.name, counter: config.town.contact.counterHours, nth });
      for (const r of recipients) if (r.household_id === inv.household_id && r.email) mails.push({ kind: m.kind, to: r.email, subject: m.subject, text: m.text, householdId: inv.household_id, dedupeKey: `invoice-reminder:${inv.id}:${nth}:${r.email}` });
    }
    await db.transaction().execute((tx) => insertMails(tx, now, mails));
    if (page.length < PAGE) break;
  }
  return { invoices };
}

/**
 * The unpaid invoices past their due date for the Trésor (`regie`, `admin`): CSV that Excel opens
 * (UTF-8 BOM, `;`, CRLF, decimal comma, formula injection neutralised by invoicing.csv.ts), a page
 * of 500 at a time.
 */
export async function* unpaidCsv(ctx: AppContext, auth: Auth | null): AsyncGenerator<string> {
  assertRole(auth, 'admin', 'regie');
  const today = ctx.clock.today();
  yield CSV_BOM + csvRow(['Numéro', 'Régie', 'Foyer', 'Payeur', 'Adresse', 'Mois', 'Émise le', 'À régler avant le', 'Montant (€)', 'Avoirs (€)', 'Payé (€)', 'Reste dû (€)']);
  let after = '';
  for (;;) {
    const page = await overdueInvoicesPage(ctx.db, today, after, PAGE);
    if (page.length === 0) return;
    after = page[page.length - 1].id;
    yield page.map((i) => csvRow([i.number, i.regie_name, i.reference, i.payer_name, i.payer_address.replace(/\n/g, ', '), i.month, i.issued_at.slice(0, 10), i.due_on, csvAmount(Number(i.total_cents)), csvAmount(Number(i.credited_cents)), csvAmount(Number(i.paid_cents)), csvAmount(dueOf(i))])).join('');
    if (page.length < PAGE) return;
  }
}
