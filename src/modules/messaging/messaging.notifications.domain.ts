import { deadlineInstant, type DeadlineRule } from '../../platform/calendar/deadlines.domain.ts';
import { addDays, publicHolidayName, weekday } from '../../platform/calendar/calendar.domain.ts';

/**
 * The automatic notifications: a closed set of kinds, each with its e-mail topic (preferences), whether
 * a guardian may refuse it, and a default French text with named placeholders « {{nom}} » the town may
 * rewrite (admin). Pure: no I/O.
 */

/** A message's category (the `messages.category` column takes its type from here). */
export const MESSAGE_CATEGORIES = ['information', 'urgent', 'rappel'] as const;
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];

export const NOTIFICATION_KINDS = ['deadline_reminder', 'request_status', 'document_expiring', 'invoice_issued', 'payment_received', 'waiting_list_place', 'invoice_reminder'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const isNotificationKind = (v: string): v is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(v);

export interface NotificationDef {
  kind: NotificationKind;
  /** What the admin page and the preferences page call it. */
  label: string;
  /** When it leaves (the admin page's explanation). */
  when: string;
  /** Essential: always e-mailed, no unsubscribe link (invoices, request decisions). */
  essential: boolean;
  /** The e-mail preference it falls under: the kind itself for the optional ones (the unsubscribe link targets it). */
  topic: string;
  category: MessageCategory;
  /** The outbox's kind of e-mail (kept from the sends that existed before the registry). */
  mailKind: string;
  /** Placeholder → what it holds (shown on the admin page). */
  placeholders: Readonly<Record<string, string>>;
  subject: string;
  body: string;
  /** Values for the admin's preview. */
  example: Readonly<Record<string, string>>;
}

const LINK = 'l\'adresse de la page du portail';

export const NOTIFICATIONS: Readonly<Record<NotificationKind, NotificationDef>> = {
  deadline_reminder: {
    kind: 'deadline_reminder',
    label: 'Rappel avant la fin des réservations',
    when: 'Deux jours avant la date limite de réservation d\'une période de vacances, aux familles inscrites au service qui y avaient réservé à la période précédente et n\'ont encore rien réservé.',
    essential: false,
    topic: 'deadline_reminder',
    category: 'rappel',
    mailKind: 'notification-deadline-reminder',
    placeholders: { service: 'le service (accueil de loisirs…)', periode: 'la période (vacances d\'hiver…)', date_limite: 'la date et l\'heure limites', lien: LINK },
    subject: 'Réservations {{periode}} : dernier jour le {{date_limite}}',
    body: 'Les réservations de « {{service}} » pour {{periode}} se terminent le {{date_limite}}. Vous n\'avez encore réservé aucun jour.\n\nPour réserver : {{lien}}',
    example: { service: 'Accueil de loisirs des Tilleuls', periode: 'les vacances d\'hiver', date_limite: 'jeudi 4 février à 12 h', lien: 'https://portail.example/reservations' },
  },
  request_status: {
    kind: 'request_status',
    label: 'Demande qui change d\'étape',
    when: 'Quand une demande passe en instruction, est acceptée, refusée ou mise sur liste d\'attente.',
    essential: true,
    topic: 'request_decision',
    category: 'information',
    mailKind: 'request-notice',
    placeholders: { reference: 'le numéro de la demande', resume: 'ce qui est demandé', statut: 'la nouvelle étape (« Acceptée »)', etape: 'la même, en minuscules (« acceptée »)', motif: 'le motif donné par le service, s\'il y en a un', suite: 'ce que la famille peut faire maintenant, s\'il y a lieu', lien: LINK },
    subject: 'Demande {{reference}} : {{etape}}',
    body: 'Votre demande {{reference}} ({{resume}}) est maintenant « {{statut}} ».{{motif}}{{suite}}\n\nVotre demande : {{lien}}',
    example: { reference: 'D-2026-00042', resume: 'Restauration scolaire pour Léa', statut: 'Acceptée', etape: 'acceptée', motif: '', suite: ' Vous pouvez maintenant réserver.', lien: 'https://portail.example/demandes/1' },
  },
  document_expiring: {
    kind: 'document_expiring',
    label: 'Justificatif bientôt périmé',
    when: 'Trente jours avant la fin de validité d\'un justificatif validé, s\'il n\'a pas été remplacé.',
    essential: false,
    topic: 'document_expiring',
    category: 'rappel',
    mailKind: 'notification-document-expiring',
    placeholders: { document: 'le type de justificatif', personne: 'la personne concernée, s\'il y en a une', date_fin: 'le dernier jour de validité', lien: LINK },
    subject: '{{document}} : à renouveler avant le {{date_fin}}',
    body: 'Votre justificatif « {{document}} »{{personne}} n\'est plus valable après le {{date_fin}}. Pensez à en déposer un nouveau sur le portail.\n\nVos justificatifs : {{lien}}',
    example: { document: 'Attestation d\'assurance', personne: ' (Léa)', date_fin: 'lundi 4 janvier 2027', lien: 'https://portail.example/documents' },
  },
  invoice_issued: {
    kind: 'invoice_issued',
    label: 'Nouvelle facture',
    when: 'Quand la régie émet les factures du mois.',
    essential: true,
    topic: 'invoice',
    category: 'information',
    mailKind: 'invoice-issued',
    placeholders: { numero: 'le numéro de la facture', mois: 'le mois facturé', montant: 'le montant', echeance: 'la date limite de paiement', lien: LINK },
    subject: 'Votre facture de {{mois}}',
    body: 'Votre facture {{numero}} de {{mois}} est disponible : {{montant}}, à régler avant le {{echeance}}.\nLe détail de chaque jour et la facture en PDF sont sur le portail :\n{{lien}}',
    example: { numero: 'F-2026-000123', mois: 'novembre 2026', montant: '42,50 €', echeance: 'mardi 15 décembre 2026', lien: 'https://portail.example/factures/1' },
  },
  payment_received: {
    kind: 'payment_received',
    label: 'Paiement reçu',
    when: 'Quand un paiement en ligne est confirmé par la banque, ou quand la régie enregistre un paiement au guichet.',
    essential: true,
    topic: 'invoice',
    category: 'information',
    mailKind: 'payment-received',
    placeholders: { montant: 'le montant payé', moyen: 'comment il a été payé (« en ligne par carte bancaire », « par chèque à la régie »…)', reference: 'la référence du paiement', lien: LINK },
    subject: 'Paiement reçu : {{montant}}',
    body: 'Nous avons bien reçu votre paiement {{moyen}} de {{montant}} (référence {{reference}}). Merci.\n\nVos factures : {{lien}}',
    example: { montant: '42,50 €', moyen: 'en ligne par carte bancaire', reference: 'PF2026120100042', lien: 'https://portail.example/factures' },
  },
  waiting_list_place: {
    kind: 'waiting_list_place',
    label: 'Place obtenue sur une liste d\'attente',
    when: 'Quand une place se libère et revient à l\'enfant premier sur la liste d\'attente.',
    essential: false,
    topic: 'waiting_list_place',
    category: 'information',
    mailKind: 'booking-notice',
    placeholders: { enfant: 'le prénom de l\'enfant', jour: 'le jour', service: 'le service', unite: 'le créneau (repas, matin…)', lien: LINK },
    subject: 'Une place s\'est libérée',
    body: 'Une place s\'est libérée : {{enfant}} a maintenant sa place le {{jour}} ({{service}}, {{unite}}).\n\nVos réservations : {{lien}}',
    example: { enfant: 'Léa', jour: 'jeudi 3 décembre 2026', service: 'restauration scolaire', unite: 'repas', lien: 'https://portail.example/reservations' },
  },
  invoice_reminder: {
    kind: 'invoice_reminder',
    label: 'Rappel de facture impayée',
    when: 'Quand une facture n\'est pas payée après sa date limite (relance de la régie).',
    essential: true,
    topic: 'invoice',
    category: 'rappel',
    mailKind: 'invoice-reminder',
    placeholders: { numero: 'le numéro de la facture', reste: 'le montant restant dû', echeance: 'la date limite dépassée', lien: LINK },
    subject: 'Facture {{numero}} : rappel de paiement',
    body: 'Sauf erreur de notre part, votre facture {{numero}} n\'est pas entièrement payée : il reste {{reste}}, la date limite était le {{echeance}}.\n\nPour payer en ligne ou voir le détail : {{lien}}',
    example: { numero: 'F-2026-000123', reste: '12,00 €', echeance: 'mardi 15 décembre 2026', lien: 'https://portail.example/factures/1' },
  },
};

export const notificationOf = (kind: NotificationKind) => NOTIFICATIONS[kind];

export const TEMPLATE_SUBJECT_MAX = 150;
export const TEMPLATE_BODY_MAX = 3000;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The text of a template with its placeholders filled (a value missing: nothing). Values are plain text. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? '');
}

export type TemplateError =
  | { code: 'subject_missing' }
  | { code: 'subject_too_long' }
  | { code: 'subject_multiline' }
  | { code: 'body_missing' }
  | { code: 'body_too_long' }
  | { code: 'unknown_placeholder'; field: 'subject' | 'body'; names: string[] }
  | { code: 'secret_placeholder'; field: 'subject' | 'body' }
  | { code: 'stray_braces'; field: 'subject' | 'body' };

/**
 * Checks a town's text before it is saved: bounded, a one-line subject, and only the kind's
 * placeholders. No placeholder can carry a secret (links that act without logging in are added
 * by the portal, sealed, never through a template), and « {{secret}} » is refused by name.
 */
export function checkTemplate(kind: NotificationKind, subject: string, body: string): TemplateError[] {
  const errors: TemplateError[] = [];
  const known = Object.keys(NOTIFICATIONS[kind].placeholders);
  if (!subject.trim()) errors.push({ code: 'subject_missing' });
  else if (subject.length > TEMPLATE_SUBJECT_MAX) errors.push({ code: 'subject_too_long' });
  else if (/[\r\n]/.test(subject)) errors.push({ code: 'subject_multiline' });
  if (!body.trim()) errors.push({ code: 'body_missing' });
  else if (body.length > TEMPLATE_BODY_MAX) errors.push({ code: 'body_too_long' });
  for (const [field, text] of [['subject', subject], ['body', body]] as const) {
    const names = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
    if (names.some((n) => /secret|code|token|mot_de_passe/i.test(n))) errors.push({ code: 'secret_placeholder', field });
    const unknown = [...new Set(names.filter((n) => !known.includes(n) && !/secret|code|token|mot_de_passe/i.test(n)))];
    if (unknown.length > 0) errors.push({ code: 'unknown_placeholder', field, names: unknown });
    if (/\{\{|\}\}/.test(text.replace(PLACEHOLDER, ''))) errors.push({ code: 'stray_braces', field });
  }
  return errors;
}

/** The message's key: a family (household) receives each fact of a kind once, whoever calls twice. */
export const notificationKey = (kind: NotificationKind, fact: string, householdId: string) => `notification:${kind}:${fact}:${householdId}`;

/** How long before the booking deadline the reminder leaves (« deux jours avant »). */
export const DEADLINE_REMINDER_LEAD_MS = 2 * 24 * 3600 * 1000;
/** How many days before its last valid day a document is announced as expiring. */
export const DOCUMENT_EXPIRY_LEAD_DAYS = 30;

/**
 * When the bookings of a holiday period close for a service: the end of the requests for a period
 * allocated by draw, otherwise the booking deadline of the first day of the period the service runs
 * (later days close later, but a family that has not booked by then loses the start of the holidays).
 */
export function bookingClosing(p: { start: string; end: string; weekdays: readonly number[]; rule: DeadlineRule; allocation: string; requestsCloseAt: string | null }): Date | null {
  if (p.allocation === 'draw') return p.requestsCloseAt ? new Date(p.requestsCloseAt) : null;
  for (let day = p.start; day <= p.end; day = addDays(day, 1)) {
    if (p.weekdays.includes(weekday(day)) && !publicHolidayName(day)) return deadlineInstant(p.rule, day);
  }
  return null;
}

/** The reminder is due from two days before the closing until the closing itself. */
export const reminderDue = (closing: Date, now: Date) => now.getTime() < closing.getTime() && closing.getTime() - now.getTime() <= DEADLINE_REMINDER_LEAD_MS;
