import { outcomes } from '../../platform/result.ts';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong, formatEuros } from '../../platform/format.ts';
import type { AnomalyKind, InvoiceStatus, MoveRefusal, RunRefusal, RunStatus } from './invoicing.domain.ts';
import type { CounterRefusal, PaymentMeans } from './invoicing.ledger.domain.ts';
import { CLOSING_COMMENT_MAX, type ClosingRefusal } from './invoicing.cashdesk.domain.ts';

/** Every French word invoicing shows about its codes. */

export const RUN_REFUSALS = outcomes<RunRefusal>({
  already_issued: 'Cette facturation est déjà émise : elle ne change plus. Corrigez une facture par un avoir.',
  not_drafted: 'Calculez d\'abord le brouillon de ce mois.',
  not_controlled: 'Validez d\'abord le contrôle du brouillon.',
  stale_control: 'Le brouillon a été recalculé depuis le contrôle : relisez le contrôle et validez-le de nouveau.',
  month_not_over: 'Un mois se facture une fois terminé.',
  blocking_anomalies: 'Des jours n\'ont pas de tarif : ajoutez le tarif manquant, puis recalculez le brouillon.',
});

export type CreditRefusal = 'nothing_chosen' | 'already_credited' | 'no_reason';
export const CREDIT_REFUSALS = outcomes<CreditRefusal>({
  nothing_chosen: 'Choisissez au moins une ligne à annuler',
  already_credited: 'Une des lignes choisies est déjà annulée par un avoir',
  no_reason: 'Indiquez le motif de l\'avoir : la famille le lira',
});

export const RUN_STATUS_LABELS: Record<RunStatus, string> = { draft: 'Brouillon', controlled: 'Contrôlée', issued: 'Émise' };
export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = { to_pay: 'À payer', partly_paid: 'Partiellement payée', paid: 'Payée', cancelled: 'Annulée par avoir' };
export const INVOICE_STATUS_TONES: Record<InvoiceStatus, 'orange' | 'blue' | 'green' | 'grey'> = { to_pay: 'orange', partly_paid: 'blue', paid: 'green', cancelled: 'grey' };

/** The means of payment, as the receipt, the balance and the cash-desk summary say them. */
export const MEANS_LABELS: Record<PaymentMeans, string> = {
  card_online: 'Carte bancaire en ligne',
  direct_debit_online: 'Prélèvement en ligne',
  cash: 'Espèces',
  cheque: 'Chèque',
  cesu: 'CESU',
  ancv: 'Chèques vacances ANCV',
  card_counter: 'Carte bancaire au guichet',
};

/** How a counter payment was made, as the family's « paiement reçu » notification says it. */
export const COUNTER_MEANS_PHRASES: Record<'cash' | 'cheque' | 'cesu' | 'ancv' | 'card_counter', string> = {
  cash: 'en espèces à la régie',
  cheque: 'par chèque à la régie',
  cesu: 'en CESU à la régie',
  ancv: 'en chèques vacances ANCV à la régie',
  card_counter: 'par carte bancaire à la régie',
};

export const ANOMALY_LABELS: Record<AnomalyKind, { title: string; hint: string }> = {
  no_tariff: { title: 'Jours sans tarif', hint: 'Aucun tarif ne s\'applique : ces jours ne peuvent pas être facturés. L\'émission est bloquée.' },
  present_without_booking: { title: 'Présences sans réservation', hint: 'Facturées avec la majoration prévue par la commune.' },
  no_quotient: { title: 'Foyers sans quotient familial', hint: 'Facturés au tarif le plus élevé.' },
  not_enrolled: { title: 'Enfants sans inscription acceptée', hint: 'Des jours sont réservés pour un service où l\'inscription n\'est pas acceptée.' },
  attendance_missing: { title: 'Pointages manquants', hint: 'Jours réservés dont la présence n\'a pas été notée : facturés comme réservés.' },
  zero_or_negative: { title: 'Totaux nuls ou négatifs', hint: 'Foyers dont la facture serait de 0 € ou moins.' },
  changed: { title: 'Lignes changées depuis le brouillon précédent', hint: 'Nouveaux jours ou nouveaux montants.' },
  removed: { title: 'Lignes retirées depuis le brouillon précédent', hint: 'Jours facturés par le brouillon précédent qui ne le sont plus.' },
};

export const FLASH = {
  drafted: (lines: number, total: number) => `Brouillon calculé : ${lines} ligne${lines > 1 ? 's' : ''}, ${formatEuros(total)} au total.`,
  controlled: 'Contrôle validé. Vous pouvez émettre les factures.',
  issued: (n: number) => `${n} facture${n > 1 ? 's' : ''} émise${n > 1 ? 's' : ''}. Les familles sont prévenues par courriel.`,
  credited: (number: string) => `Avoir ${number} émis. La famille est prévenue par courriel.`,
};

/** Paying an invoice online (PayFiP), from the family's invoice page. */
export const PAY = {
  button: (amount: number) => `Payer ${formatEuros(amount)} par carte bancaire`,
  several: 'Payer les factures cochées par carte bancaire',
  noneChosen: 'Cochez au moins une facture à payer.',
  hint: 'Vous passerez sur PayFiP, le site de paiement sécurisé de la Direction générale des finances publiques, puis reviendrez ici.',
  nothingToPay: 'Cette facture est réglée : il n\'y a rien à payer.',
  guardiansOnly: 'Le paiement en ligne se fait depuis le compte d\'un responsable de la famille. Au guichet, la régie enregistre le paiement.',
};

export const AUDIT = {
  drafted: (month: string, regie: string) => `Brouillon de facturation de ${monthLabel(month)} calculé (${regie})`,
  controlled: (month: string, regie: string) => `Contrôle de la facturation de ${monthLabel(month)} validé (${regie})`,
  issued: (month: string, regie: string, n: number) => `Facturation de ${monthLabel(month)} émise (${regie}) : ${n} facture${n > 1 ? 's' : ''}`,
  credited: (number: string, invoice: string, amount: number, reason: string) => `Avoir ${number} sur la facture ${invoice} : ${formatEuros(amount)} (${reason})`,
};

const signature = (town: string) => `\n\n--\n${town} – Portail famille\nCe message est envoyé automatiquement, merci de ne pas y répondre.`;

export const MAILS = {
  invoice: (p: { number: string; month: string; total: number; due: string; link: string; town: string }) => ({
    subject: `Votre facture de ${monthLabel(p.month)} – ${p.town}`,
    text: `Bonjour,\n\nVotre facture ${p.number} de ${monthLabel(p.month)} est disponible : ${formatEuros(p.total)}, à régler avant le ${formatDateLong(p.due)}.\nLe détail de chaque jour et la facture en PDF sont sur le portail :\n${p.link}${signature(p.town)}`,
  }),
  creditNote: (p: { number: string; invoice: string; amount: number; reason: string; link: string; town: string }) => ({
    subject: `Avoir sur votre facture ${p.invoice} – ${p.town}`,
    text: `Bonjour,\n\nLa régie a émis l'avoir ${p.number} sur votre facture ${p.invoice} : ${formatEuros(p.amount)}.\nMotif : ${p.reason}\nLe détail est sur le portail :\n${p.link}${signature(p.town)}`,
  }),
};

/** When a booking or attendance change touches a month already invoiced. */
export const LOCKED_DAY = 'Ce jour est déjà facturé : il ne peut plus être modifié. Pour une correction, la régie émet un avoir.';

/** A counter payment the régie typed (field → message). */
export const COUNTER_REFUSALS: Record<CounterRefusal, string> = {
  no_means: 'Choisissez le moyen de paiement',
  no_amount: 'Indiquez le montant reçu',
  bad_amount: 'Indiquez un montant en euros, par exemple 25,50 (10 000 € au plus)',
  no_cheque_number: 'Indiquez le numéro du chèque (chiffres et lettres, 20 au plus)',
  no_bank: 'Indiquez la banque du chèque (80 caractères au plus)',
  bad_invoice: 'Une des factures choisies n\'est plus à payer : rechargez la page',
  day_closed: 'La caisse du jour de cette régie est déjà clôturée : aucun paiement ne peut plus y être enregistré aujourd\'hui. Le paiement n\'a pas été enregistré.',
};

export const CANCEL_REFUSALS: Record<'already_cancelled' | 'online_payment' | 'no_reason' | 'day_closed', string> = {
  already_cancelled: 'Ce paiement est déjà annulé',
  day_closed: 'La caisse du jour de cette régie est déjà clôturée : l\'annulation ne peut être faite qu\'un prochain jour, elle figurera dans son journal',
  online_payment: 'Un paiement en ligne ne s\'annule pas ici : un remboursement passe par PayFiP et la trésorerie',
  no_reason: 'Indiquez pourquoi ce paiement est annulé',
};

/** Closing the cash-desk day (field → message). */
export const CLOSING_REFUSALS: Record<ClosingRefusal, string> = {
  future_day: 'Ce jour n\'est pas encore passé : seule la caisse d\'aujourd\'hui ou d\'un jour passé peut être clôturée',
  bad_counted: 'Indiquez les espèces comptées en euros, par exemple 125,50',
  comment_needed: 'Les espèces comptées ne correspondent pas aux espèces attendues : expliquez l\'écart',
  comment_too_long: `Le commentaire fait ${CLOSING_COMMENT_MAX} caractères au plus`,
};

export const CASHDESK_FLASH = {
  closed: (day: string) => `Caisse du ${day} clôturée. Le journal de caisse est prêt à imprimer.`,
  alreadyClosed: (day: string, by: string) => `La caisse du ${day} était déjà clôturée par ${by} : rien n'a changé.`,
};

export const LEDGER_FLASH = {
  recorded: (number: string, allocated: number, credit: number) => `Paiement enregistré, reçu ${number} : ${formatEuros(allocated)} porté sur les factures${credit > 0 ? `, ${formatEuros(credit)} gardé au crédit du foyer` : ''}.`,
  cancelled: (number: string) => `Paiement ${number} annulé. Les factures qu'il réglait sont de nouveau à payer.`,
};

/** Régies in the back office (`admin` changes, `regie` reads). */
export type RegieRefusal = 'name_taken';
export const REGIE_REFUSALS = outcomes<RegieRefusal>({
  name_taken: 'Une régie porte déjà ce nom : choisissez-en un autre',
});
export const MOVE_REFUSALS = outcomes<MoveRefusal>({
  unchanged: 'Ce service est déjà facturé par cette régie à partir de ce mois.',
  runs_started:
    'Ce mois ou un mois suivant est déjà calculé ou émis par la régie actuelle du service, par la nouvelle ou par celle d\'un changement prévu : un mois ne se facture qu\'une fois. Choisissez un mois après le dernier mois calculé, indiqué sous « À partir de ».',
});
export const REGIE_FLASH = {
  created: (name: string) => `Régie « ${name} » créée.`,
  renamed: (name: string) => `La régie s'appelle maintenant « ${name} ».`,
  moved: (service: string, regie: string, month: string) => `${service} : facturé par « ${regie} » à partir de ${monthLabel(month)}.`,
};
export const REGIE_AUDIT = {
  created: (name: string) => `Régie « ${name} » créée`,
  renamed: (before: string, after: string) => `Régie « ${before} » renommée « ${after} »`,
  moved: (service: string, before: string, after: string, month: string) => `${service} : facturé par « ${after} » (au lieu de « ${before} ») à partir de ${monthLabel(month)}`,
};
