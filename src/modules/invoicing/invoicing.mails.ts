import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong, formatEuros } from '../../platform/format.ts';

/**
 * Every e-mail the payment ledger sends (issue 11), one function per message: the notification
 * registry routes them from here. Plain French, for a parent reading on a phone.
 */

const signature = (town: string) => `\n\n--\n${town} – Portail famille\nCe message est envoyé automatiquement, merci de ne pas y répondre.`;

/** An unpaid invoice past its due date: the first reminder, then one every `PAYMENT_REMINDER_DAYS`. */
export function paymentReminderMail(p: { number: string; month: string; remainingCents: number; dueOn: string; link: string; town: string; counter: string | undefined; nth: number }) {
  return {
    kind: 'invoice-reminder',
    subject: `${p.nth > 1 ? 'Nouveau rappel' : 'Rappel'} : facture ${p.number} à régler – ${p.town}`,
    text:
      `Bonjour,\n\nSauf erreur de notre part, votre facture ${p.number} de ${monthLabel(p.month)} n'est pas entièrement réglée : il reste ${formatEuros(p.remainingCents)} à payer. Elle était à régler avant le ${formatDateLong(p.dueOn)}.\n\n` +
      `Vous pouvez la payer par carte bancaire sur le portail :\n${p.link}\n` +
      `ou à la régie${p.counter ? ` (${p.counter})` : ''}, en espèces, par chèque, CESU ou chèques vacances.\n\nSi vous venez de payer, ne tenez pas compte de ce message.${signature(p.town)}`,
  };
}
