import { outcomes } from '../../platform/result.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDeadline } from '../../platform/calendar/deadlines.domain.ts';
import { formatEuros } from '../../platform/format.ts';
import type { ClosedWhy, DayState } from './bookings.domain.ts';

/**
 * The closed set of what can happen to one day of a booking form, and the only place their French
 * wording lives. The service decides with codes; views, e-mails and audit rows look the words up here.
 */
export const BOOKING_OUTCOMES = outcomes({
  // Done (ok)
  booked: 'Réservé',
  waiting: 'Complet : sur la liste d\'attente',
  requested: 'Demande enregistrée : les places seront attribuées après la clôture des demandes',
  cancelled: 'Annulé',
  unchanged: 'Aucun changement',
  // Not done
  conflict: 'Changé entre-temps (sur un autre appareil ou par un autre responsable) : laissé tel quel',
  closed: 'Jour sans accueil',
  closed_now: 'La mairie vient de fermer ce jour : il ne peut plus être réservé',
  deadline: 'Délai dépassé',
  not_open: 'Les réservations ne sont pas encore ouvertes',
  draw_closed: 'Demandes closes : attribution des places en cours',
  not_enrolled: 'Votre enfant n\'est pas inscrit à ce service : faites d\'abord une demande d\'inscription',
  no_group: 'Ce service n\'a pas encore de groupe : adressez-vous à la mairie',
  exclusive: 'Déjà une autre unité ce jour-là : les deux ne se cumulent pas',
  billed: 'Jour déjà facturé : il ne change plus (la régie corrige par un avoir)',
});

export type BookingOutcome = keyof typeof BOOKING_OUTCOMES;

/** The outcomes that changed nothing because a rule or another change refused it. */
export const REFUSALS = ['conflict', 'closed', 'closed_now', 'deadline', 'not_open', 'draw_closed', 'not_enrolled', 'no_group', 'exclusive', 'billed'] as const satisfies readonly BookingOutcome[];
export type BookingRefusal = (typeof REFUSALS)[number];
export const isRefusal = (code: BookingOutcome): code is BookingRefusal => (REFUSALS as readonly string[]).includes(code);

/** What a displayed day was (when the page was drawn) or is now. */
export type DayStatus = 'booked' | 'waiting' | 'requested' | 'none';

const STATUS_WORDS: Record<DayStatus, string> = {
  booked: 'réservé',
  waiting: 'sur liste d\'attente',
  requested: 'demandé',
  none: 'non réservé',
};

/** « 1ᵉʳ », « 3ᵉ » */
export const ordinal = (n: number) => `${n}${n === 1 ? 'ᵉʳ' : 'ᵉ'}`;

/** Why a day has no service, as the calendar and the results say it. */
export const CLOSED_DAYS = outcomes<ClosedWhy>({
  public_holiday: 'Férié',
  no_service: 'Pas d\'accueil ce jour-là',
  outside_holidays: 'Hors vacances scolaires',
  school_holidays: 'Vacances scolaires',
  closure: 'Fermé',
});
/** « Férié : Noël », « Fermé : grève », « Vacances scolaires » */
export const closedText = (why: ClosedWhy, name?: string) => (name ? `${CLOSED_DAYS[why]} : ${name}` : CLOSED_DAYS[why]);

const DAY_WORDS = { booked: 'Réservé', free: 'Non réservé', waiting: 'Liste d\'attente', requested: 'Demandé' };

/** Words for a day of the calendar, e.g. for its checkbox's label: « Liste d'attente (3ᵉ sur la liste) ». */
export function stateLabel(s: DayState): string {
  if (s.kind === 'closed') return closedText(s.closed, s.name);
  const pos = s.kind === 'waiting' && s.position ? ` (${ordinal(s.position)} sur la liste)` : '';
  return `${DAY_WORDS[s.kind]}${pos}`;
}

/** Why an open day cannot change now, under its state in the calendar. */
export function lockText(s: DayState): string | undefined {
  if (s.kind === 'closed' || s.open) return undefined;
  if (s.lock === 'not_open' && s.opensAt) return `Réservations ouvertes à partir du ${formatDeadline(s.opensAt)}`;
  if (s.lock === 'draw_closed') return BOOKING_OUTCOMES.draw_closed;
  if (s.until) return `${BOOKING_OUTCOMES.deadline} le ${formatDeadline(s.until)}`;
  return undefined;
}

export interface OutcomeDetail {
  code: BookingOutcome;
  /** waiting: the place on the list. */
  position?: number | null;
  /** closed: why the day has no service, and the holiday's or closure's name; exclusive: the other unit's label. */
  closed?: ClosedWhy;
  name?: string;
  /** deadline: when it passed; not_open: when bookings open. */
  at?: Date;
  /** conflict: what the day is now. */
  current?: DayStatus;
}

/** The outcome of one day in a sentence, without the day: « Complet : sur la liste d'attente, 3ᵉ ». */
export function outcomeText(r: OutcomeDetail): string {
  switch (r.code) {
    case 'waiting':
      return r.position ? `${BOOKING_OUTCOMES.waiting}, ${ordinal(r.position)}` : BOOKING_OUTCOMES.waiting;
    case 'closed':
      return r.closed ? closedText(r.closed, r.name) : BOOKING_OUTCOMES.closed;
    case 'deadline':
      return r.at ? `${BOOKING_OUTCOMES.deadline} le ${formatDeadline(r.at)}` : BOOKING_OUTCOMES.deadline;
    case 'not_open':
      return r.at ? `Réservations ouvertes à partir du ${formatDeadline(r.at)}` : BOOKING_OUTCOMES.not_open;
    case 'exclusive':
      return r.name ? `Déjà « ${r.name} » ce jour-là : les deux ne se cumulent pas` : BOOKING_OUTCOMES.exclusive;
    case 'conflict':
      return r.current ? `${BOOKING_OUTCOMES.conflict} (maintenant : ${STATUS_WORDS[r.current]})` : BOOKING_OUTCOMES.conflict;
    default:
      return BOOKING_OUTCOMES[r.code];
  }
}

/** A refused unit that excludes another, in a sentence naming the child: « Hugo a déjà « Journée avec repas » ce jour-là : les deux ne se cumulent pas ». */
export const exclusiveText = (childName: string, otherUnit: string) => `${childName} a déjà « ${otherUnit} » ce jour-là : les deux ne se cumulent pas`;

/** What a line of the results page adds after the day, under its heading (empty when the heading says it all). */
export function lineDetail(r: OutcomeDetail): string {
  if (r.code === 'booked' || r.code === 'cancelled' || r.code === 'requested' || r.code === 'unchanged') return '';
  if (r.code === 'waiting') return r.position ? `${ordinal(r.position)} sur la liste` : '';
  if (r.code === 'conflict') return r.current ? `maintenant ${STATUS_WORDS[r.current]}` : '';
  return outcomeText(r);
}

/** Headings of the results page, one per kind of outcome, in the order they are listed. */
export const RESULT_HEADINGS: { codes: BookingOutcome[]; heading: string }[] = [
  { codes: ['booked'], heading: 'Réservé' },
  { codes: ['waiting'], heading: 'Sur liste d\'attente' },
  { codes: ['requested'], heading: 'Demandé (attribution après la clôture des demandes)' },
  { codes: ['cancelled'], heading: 'Annulé' },
  { codes: ['conflict'], heading: 'Changé entre-temps ailleurs : rien n\'a été modifié' },
  { codes: ['closed', 'closed_now', 'deadline', 'not_open', 'draw_closed', 'not_enrolled', 'no_group', 'exclusive'], heading: 'Pas possible' },
];

/** A unit with its service, written once: « Restauration scolaire (cantine), repas » (never « (cantine) (Repas) »). */
export const serviceUnitLabel = (serviceName: string, unitLabel: string) => `${serviceName}, ${unitLabel.charAt(0).toLowerCase()}${unitLabel.slice(1)}`;

/** « jours » with the right plural for a count. */
export const daysCount = (n: number) => `${n} ${n === 1 ? 'jour' : 'jours'}`;

export interface NamedResult extends OutcomeDetail {
  childName: string;
  day: string;
}

/**
 * The confirmation in one paragraph, for the message shown after a form (every day named):
 * « Réservé : Léa le jeudi 4 février, le vendredi 5 février. Annulé : Léa le lundi 8 février. »
 * With `reasons` (history, e-mail), a refused day says why: « Pas possible : Léa le jeudi 3 décembre (délai dépassé le …) ».
 */
export function confirmationText(results: NamedResult[], reasons = false): string {
  const parts: string[] = [];
  for (const { codes, heading } of RESULT_HEADINGS) {
    const of = results.filter((r) => codes.includes(r.code));
    if (of.length === 0) continue;
    const byChild = new Map<string, NamedResult[]>();
    for (const r of of) {
      const days = byChild.get(r.childName);
      if (days) days.push(r);
      else byChild.set(r.childName, [r]);
    }
    const why = (r: NamedResult) => (r.code === 'waiting' && r.position ? ` (${ordinal(r.position)})` : reasons && isRefusal(r.code) ? ` (${lowerFirst(lineDetail(r))})` : '');
    const children = [...byChild].map(([name, rs]) => `${name} ${rs.map((r) => `le ${dayLabel(r.day)}${why(r)}`).join(', ')}`);
    parts.push(`${heading} : ${children.join(' ; ')}.`);
  }
  return parts.length === 0 ? 'Aucun changement : vos réservations étaient déjà ainsi.' : parts.join(' ');
}

/**
 * What a form's changes cost: the days booked (at today's tariff for the household) and the days
 * cancelled, which will not be billed. Empty when no price is known (no tariff, or a wide pattern).
 */
export function costText(results: readonly { code: string; priceCents?: number | null }[]): string {
  const sum = (code: string) => results.filter((r) => r.code === code && typeof r.priceCents === 'number').reduce((total, r) => total + (r.priceCents ?? 0), 0);
  const booked = sum('booked');
  const cancelled = sum('cancelled');
  const parts: string[] = [];
  if (booked > 0) parts.push(`Les jours réservés coûteront ${formatEuros(booked)}.`);
  if (cancelled > 0) parts.push(`Les jours annulés ne seront pas facturés : ${formatEuros(cancelled)} de moins.`);
  return parts.join(' ');
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** Wording of the notices and e-mails a booking write sets off. */
export const NOTICES = {
  recapSubject: 'Récapitulatif de vos réservations',
  recap: (text: string, by: string) => `${by} vient d'enregistrer des changements de réservation sur le portail.\n\n${text}`,
  promotedSubject: 'Une place s\'est libérée',
  promoted: (child: string, service: string, unit: string, day: string) => `Une place s'est libérée : ${child} a maintenant sa place le ${dayLabel(day, true)} (${service.toLowerCase()}, ${unit.toLowerCase()}).`,
  closedSubject: 'Accueil fermé',
  closed: (day: string, reason: string) => `L'accueil est fermé le ${dayLabel(day, true)} (${reason}). Les réservations de ce jour sont annulées et ne seront pas facturées.`,
  mail: (text: string, url: string, town: string) => `Bonjour,\n\n${text}\n\nVos réservations : ${url}/reservations\n\n--\n${town} – Portail famille`,
};

/** Audit summaries of booking writes (the household's history). */
export const AUDIT = {
  override: (actor: string, r: OutcomeDetail & { day: string }) => `${actor} : ${outcomeText(r).toLowerCase()} pour le ${dayLabel(r.day, true)} (dérogation aux délais ou à la capacité)`,
  changed: (r: OutcomeDetail & { day: string }) => `Réservation du ${dayLabel(r.day, true)} : ${outcomeText(r).toLowerCase()}`,
  /** One row per form a family saves, with every day it changed or could not change. */
  familyForm: (text: string) => `Réservations enregistrées. ${text}`,
  absence: (day: string) => `Absence signalée pour le ${dayLabel(day, true)}`,
  closure: (day: string, reason: string, n: number) => `Fermeture le ${dayLabel(day, true)} : ${reason} (${n} ${n === 1 ? 'réservation annulée' : 'réservations annulées'})`,
  draw: (booked: number, waiting: number) => `Attribution des places par tirage : ${booked} ${booked === 1 ? 'place' : 'places'}, ${waiting} en liste d'attente`,
};

export const ABSENCE_OUTCOMES = outcomes({
  too_late: 'Une absence se signale avant le jour même. Pour aujourd\'hui, appelez l\'accueil.',
});
