import type { AppContext } from '../../platform/context.ts';
import { assertRole } from '../../platform/http/guards.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { formatDateLong, formatEuros } from '../../platform/format.ts';
import { notify, type NotificationFact } from '../messaging/messaging.notifications-service.ts';
import { csvAmount, csvRow, CSV_BOM } from './invoicing.csv.ts';
import { dueOf, reminderNumber } from './invoicing.ledger.domain.ts';
import { overdueInvoicesPage } from './invoicing.payments.repository.ts';

const PAGE = 500;

/** The fact a reminder tells: this invoice's n-th reminder (the next one is a new fact once the interval has passed). */
export const reminderFact = (invoiceId: string, nth: number) => `${invoiceId}:${nth}`;

/**
 * Reminders of unpaid invoices past their due date, through the notification registry (kind
 * `invoice_reminder`: the town's switch and text, the inbox and the e-mail): the first the day after
 * the due date, then one every `paymentReminderDays` (config, 15 by default). Idempotent: the fact
 * « <invoice>:<n> » is told once per household (the message's unique key), so a second run, or a
 * second worker at the same moment, tells nothing more. Run by the worker loop (main.ts, hourly) and
 * `npm run cli -- send-reminders`.
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
    const facts: NotificationFact[] = [];
    for (const inv of page) {
      const nth = reminderNumber(inv.due_on, today, config.paymentReminderDays);
      if (nth === 0) continue;
      facts.push({ householdId: inv.household_id, fact: reminderFact(inv.id, nth), values: { numero: inv.number, reste: formatEuros(dueOf(inv)), echeance: formatDateLong(inv.due_on), lien: `${config.publicUrl}/factures/${inv.id}` } });
    }
    invoices += await db.transaction().execute((tx) => notify(tx, ctx, now, 'invoice_reminder', facts));
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
