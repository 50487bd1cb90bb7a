import { Temporal } from 'temporal-polyfill';
import { TIME_ZONE } from '../../platform/calendar/calendar.domain.ts';

/** Messaging rules: bounds, categories, audience parsing, the body's paragraphs and links. Pure, no I/O. */

export const SUBJECT_MAX = 150;
export const BODY_MAX = 5000;
/** Values of one criterion a form may send (checkboxes): more is a malformed form. */
export const VALUES_MAX = 200;
export const ATTACHMENTS_MAX = 3;
export const ATTACHMENT_BYTES_MAX = 2 * 1024 * 1024;
export const PREVIEW_PAGE_SIZE = 50;

export const CATEGORIES = ['information', 'rappel', 'urgent'] as const;
export type Category = (typeof CATEGORIES)[number];
export const isCategory = (v: string): v is Category => (CATEGORIES as readonly string[]).includes(v);
export const CATEGORY_LABELS: Record<Category, string> = { information: 'Information', rappel: 'Rappel', urgent: 'Urgent' };
export const CATEGORY_HINTS: Record<Category, string> = {
  information: 'Une nouvelle, un menu, une sortie : les familles peuvent refuser ces courriels (le message reste sur le portail).',
  rappel: 'Un délai, un document à fournir : les familles peuvent refuser ces courriels (le message reste sur le portail).',
  urgent: 'Une fermeture, un changement de dernière minute : toujours envoyé par courriel, sans désinscription possible.',
};
/** Urgent messages always leave by e-mail: a family cannot switch them off. */
export const isEssentialCategory = (c: string) => c === 'urgent';

/** The audience as the form sends it: criterion key → chosen values (only non-empty criteria). */
export type Audience = Record<string, string[]>;

/** Keeps the known criteria with at least one value, trimmed, deduplicated and bounded (stable order). */
export function normaliseAudience(raw: Readonly<Record<string, unknown>>, keys: readonly string[]): Audience {
  const out: Audience = {};
  for (const key of keys) {
    const v = raw[key];
    const list = (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);
    const unique = [...new Set(list)].slice(0, VALUES_MAX).sort();
    if (unique.length > 0) out[key] = unique;
  }
  return out;
}

/** The audience as query parameters (the count link, the compose form's hidden fields). */
export function audienceParams(audience: Audience): [string, string][] {
  return Object.entries(audience).flatMap(([k, values]) => values.map((v): [string, string] => [k, v]));
}

export const audienceQuery = (audience: Audience) => new URLSearchParams(audienceParams(audience)).toString();

/** « Établissement : École Jules-Ferry ; Service : Restauration scolaire » — or every family. */
export function describeAudience(parts: { legend: string; labels: string[] }[]): string {
  if (parts.length === 0) return 'Toutes les familles';
  return parts.map((p) => `${p.legend} : ${p.labels.join(' ou ')}`).join(' ; ');
}

/** A piece of a body line: text, or a link the view turns into <a> (the text itself is always escaped). */
export type Inline = { text: string } | { href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/g;

/** Splits a line into text and links; a link's trailing punctuation (« . », « ) », « , ») stays text. */
export function linkify(line: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of line.matchAll(URL_PATTERN)) {
    let url = m[0];
    const trail = /[.,;:!?)\]»']+$/.exec(url);
    if (trail) url = url.slice(0, -trail[0].length);
    const start = m.index;
    if (start > last) out.push({ text: line.slice(last, start) });
    out.push({ href: url });
    last = start + url.length;
  }
  if (last < line.length) out.push({ text: line.slice(last) });
  return out;
}

/** Paragraphs (separated by a blank line) of lines (kept as written), each line split into text and links. */
export function paragraphsOf(body: string): Inline[][][] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split('\n').map(linkify));
}

/** The instant of a day and time in Paris (« 2026-12-03 » at « 08:30 »); null when the time does not exist. */
export function parisInstant(day: string, time: string): Date | null {
  try {
    const [hour, minute] = time.split(':').map(Number);
    const zoned = Temporal.PlainDate.from(day).toZonedDateTime({ timeZone: TIME_ZONE, plainTime: Temporal.PlainTime.from({ hour, minute }) });
    return new Date(zoned.epochMilliseconds);
  } catch {
    return null;
  }
}

/** True when the bytes start as a PDF file does (the type comes from the content, never the name). */
export const looksLikePdf = (bytes: Uint8Array) => bytes.length > 8 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';

/** A file name safe in a Content-Disposition header and on a disk: letters, digits, dots, dashes. */
export function safePdfName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, 80);
  const stem = cleaned.replace(/\.pdf$/i, '') || 'piece-jointe';
  return `${stem}.pdf`;
}

/** The e-mail's text: the message, where to read it on the portal, and the unsubscribe link when it may be refused. */
export function mailText(m: { body: string; townName: string; readUrl: string; attachments: number; unsubscribe: string | null }): string {
  const lines = ['Bonjour,', '', m.body.trim(), '', '--'];
  lines.push(`${m.townName} – Portail famille. Ce message est aussi dans votre messagerie du portail : ${m.readUrl}`);
  if (m.attachments > 0) lines.push(m.attachments > 1 ? `Les ${m.attachments} pièces jointes sont à télécharger sur le portail.` : 'La pièce jointe est à télécharger sur le portail.');
  if (m.unsubscribe) lines.push('', `Pour ne plus recevoir ce type de courriel (les messages restent sur le portail) : ${m.unsubscribe}`);
  return lines.join('\n');
}

export const mailSubject = (subject: string, category: Category, townName: string) => `${category === 'urgent' ? 'Urgent : ' : ''}${subject} – ${townName}`;

/** A kind of e-mail a guardian may want or not; essential ones always leave, and the page says why. */
export interface MailTopic {
  key: string;
  label: string;
  essential: boolean;
  /** Why it cannot be switched off (essential topics). */
  why?: string;
}

/**
 * The e-mail preferences, in the page's order. The town's message categories, then the automatic
 * notifications: an optional kind's topic is the kind itself (messaging.notifications.domain.ts), so the
 * unsubscribe link of its e-mails targets that kind.
 */
export const MAIL_TOPICS: readonly MailTopic[] = [
  { key: 'information', label: 'Informations de la mairie : menus, sorties, nouvelles', essential: false },
  { key: 'rappel', label: 'Rappels de la mairie : documents à fournir, inscriptions à faire', essential: false },
  { key: 'deadline_reminder', label: 'Rappel deux jours avant la fin des réservations, quand vous n\'avez pas encore réservé', essential: false },
  { key: 'waiting_list_place', label: 'Place obtenue sur une liste d\'attente', essential: false },
  { key: 'document_expiring', label: 'Justificatif bientôt périmé, à renouveler', essential: false },
  { key: 'urgent', label: 'Messages urgents : fermeture, grève, changement de dernière minute', essential: true, why: 'l\'accueil de vos enfants en dépend.' },
  { key: 'request_decision', label: 'Décisions sur vos demandes', essential: true, why: 'une décision peut vous demander d\'agir dans un délai.' },
  { key: 'invoice', label: 'Factures et paiements', essential: true, why: 'une facture a une date limite de paiement.' },
];

export const topicOf = (key: string) => MAIL_TOPICS.find((t) => t.key === key);
/** Topics a guardian may switch off. */
export const isOptionalTopic = (key: string) => topicOf(key)?.essential === false;

/** What an unsubscribe signature covers: one guardian, one topic (it cannot serve another). */
export const unsubscribeSubject = (personId: string, topic: string) => `${personId}:${topic}`;
export const UNSUBSCRIBE_PURPOSE = 'unsubscribe-link';
