import { dayLabel, mondayOf } from '../../platform/calendar/calendar.domain.ts';

/**
 * Pure rules of the draw: which requests are drawn together, in which order, and what each family
 * is told. The order is reproducible: the seed is the period's id, so running the same draw on the
 * same requests gives the same result, and the town can show how it was found.
 */

export type DrawMode = 'day' | 'request';

/** French wording of the two modes, shown on the period form and the period page. */
export const DRAW_MODES: Readonly<Record<DrawMode, string>> = {
  day: 'Par jour : chaque jour est tiré séparément (un enfant peut obtenir une partie des jours demandés)',
  request: 'Par demande : les jours demandés pour un enfant dans une même semaine sont attribués ensemble, tous ou aucun',
};

export interface DrawRow {
  id: string;
  slot_id: string;
  day: string;
  household_id: string;
  child_person_id: string;
  unit_id: string;
  /** The child's school in the town, if recorded: such children come first. */
  school: string | null;
}

export interface DrawUnit<T extends DrawRow> {
  /** What the order is drawn on: the booking id (per day) or child|unit|Monday of the week (per request). */
  key: string;
  priority: number;
  items: T[];
}

/**
 * The units the draw allocates, in the order it allocates them:
 * 1. priority: a child with a school of the town recorded comes before one without;
 * 2. then the SHA-256 of « <period id>:<key> », smallest first (the reproducible lot);
 * 3. then the key itself, should two hashes ever be equal.
 * Per day, each request of a day is a unit (key = booking id: the order used before the
 * per-request mode existed). Per request, a child's requested days of one unit in one ISO week
 * (Monday to Sunday) form one unit.
 */
export function drawUnits<T extends DrawRow>(rows: readonly T[], mode: DrawMode, seed: string, hash: (s: string) => string): DrawUnit<T>[] {
  const units = new Map<string, DrawUnit<T>>();
  for (const r of rows) {
    const key = mode === 'day' ? r.id : `${r.child_person_id}|${r.unit_id}|${mondayOf(r.day)}`;
    const unit = units.get(key) ?? { key, priority: 0, items: [] };
    unit.priority = Math.max(unit.priority, r.school ? 1 : 0);
    unit.items.push(r);
    units.set(key, unit);
  }
  const score = new Map([...units.keys()].map((k) => [k, hash(`${seed}:${k}`)]));
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...units.values()]
    .map((u) => ({ ...u, items: u.items.sort((a, b) => compare(a.day, b.day)) }))
    .sort((a, b) => b.priority - a.priority || compare(score.get(a.key)!, score.get(b.key)!) || compare(a.key, b.key));
}

export interface DrawnDay {
  childId: string;
  firstName: string;
  day: string;
  what: string;
  /** null: a place was given; a number: the position on that day's waiting list. */
  waitingPosition: number | null;
}

/** « 1ʳᵉ place », « 3ᵉ place » (place is feminine). */
const placeOrdinal = (n: number) => `${n}${n === 1 ? 'ʳᵉ' : 'ᵉ'} place`;

const joinFr = (parts: string[]) => (parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} et ${parts[parts.length - 1]}`);

/** One household's days, grouped by child (in first-name order), each child's days in date order. */
function byChild(days: readonly DrawnDay[]) {
  const children = new Map<string, { firstName: string; days: DrawnDay[] }>();
  for (const d of days) {
    const c = children.get(d.childId) ?? { firstName: d.firstName, days: [] };
    c.days.push(d);
    children.set(d.childId, c);
  }
  return [...children.values()]
    .sort((a, b) => a.firstName.localeCompare(b.firstName, 'fr'))
    .map((c) => ({ ...c, days: c.days.sort((a, b) => a.day.localeCompare(b.day) || a.what.localeCompare(b.what, 'fr')) }));
}

/**
 * What each child obtained, one sentence per child (« Léa : place obtenue le lundi 21 décembre ;
 * en liste d'attente le mardi 22 décembre (2ᵉ place). »): the notice sent after the draw, and the
 * home and calendar pages afterwards (with the places as they are now).
 */
export function drawChildSentences(days: readonly DrawnDay[]): { childId: string; text: string }[] {
  return byChild(days).map((c) => {
    const given = c.days.filter((d) => d.waitingPosition === null).map((d) => `le ${dayLabel(d.day)}`);
    const waiting = c.days.filter((d) => d.waitingPosition !== null).map((d) => `le ${dayLabel(d.day)} (${placeOrdinal(d.waitingPosition!)})`);
    const parts = [given.length > 0 ? `place obtenue ${joinFr([...new Set(given)])}` : '', waiting.length > 0 ? `en liste d'attente ${joinFr([...new Set(waiting)])}` : ''].filter(Boolean);
    return { childId: c.days[0].childId, text: `${c.firstName} : ${parts.join(' ; ')}.` };
  });
}

const DRAW_NOTICE_START = 'Résultat du tirage au sort (';

/** The portal notice: one short paragraph per household, every day named. */
export function drawNoticeText(periodLabel: string, days: readonly DrawnDay[]): string {
  const sentences = drawChildSentences(days).map((s) => s.text);
  return `${DRAW_NOTICE_START}${periodLabel}). ${sentences.join(' ')} Le détail vous est envoyé par courriel.`;
}

/** Whether a portal notice is a draw's result (a page showing the result as it is now leaves it out). */
export const isDrawNotice = (text: string) => text.startsWith(DRAW_NOTICE_START);

/** The e-mail: one per household address, by child then date, with the place on each waiting list. */
export function drawMailText(p: { periodLabel: string; start: string; end: string; days: readonly DrawnDay[]; bookingsUrl: string; townName: string }): string {
  const blocks = byChild(p.days).map((c) => {
    const lines = c.days.map((d) => `- ${dayLabel(d.day, true)}, ${d.what} : ${d.waitingPosition === null ? 'place obtenue' : `liste d'attente, ${placeOrdinal(d.waitingPosition)}`}`);
    return `${c.firstName}\n${lines.join('\n')}`;
  });
  const anyWaiting = p.days.some((d) => d.waitingPosition !== null);
  return [
    'Bonjour,',
    `Les places de la période « ${p.periodLabel} » (du ${dayLabel(p.start, true)} au ${dayLabel(p.end, true)}) ont été attribuées par tirage au sort. Voici le résultat de vos demandes.`,
    ...blocks,
    ...(anyWaiting ? ['Si une place se libère, l\'enfant en tête de la liste d\'attente de ce jour l\'obtient, et vous en êtes prévenu.'] : []),
    `Vos réservations : ${p.bookingsUrl}`,
    `--\n${p.townName} – Portail famille`,
  ].join('\n\n');
}
