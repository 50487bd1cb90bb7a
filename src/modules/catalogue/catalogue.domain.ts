import { Temporal } from 'temporal-polyfill';
import type { ServiceKind } from '../../platform/vocabulary.ts';
import type { DeadlineRule } from '../../platform/calendar/deadlines.domain.ts';
import { dayLabel, publicHolidays, TIME_ZONE } from '../../platform/calendar/calendar.domain.ts';

/**
 * Pure rules of the catalogue's back office: labels, the deadline rule as a form, Paris wall-clock
 * times converted to the UTC instants stored in the database.
 */

export const SERVICE_KINDS: Record<ServiceKind, string> = {
  canteen: 'Restauration scolaire (cantine)',
  morning: 'Accueil du matin (garderie)',
  evening: 'Accueil du soir (garderie)',
  wednesday: 'Mercredi (centre de loisirs)',
  holiday: 'Vacances (centre de loisirs)',
};

export const FACILITY_KINDS = { school: 'École', leisure_centre: 'Centre de loisirs' } as const;
export const PERIOD_KINDS = { school: 'Période scolaire (semaines d\'école, mercredis)', holiday: 'Vacances scolaires' } as const;
export const ALLOCATIONS = {
  fcfs: 'Premier arrivé, premier servi, dès l\'ouverture',
  draw: 'Demandes recueillies jusqu\'à une date, puis places attribuées par la mairie (critères de priorité et tirage)',
} as const;

export const WEEKDAY_LABELS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];

export type FieldErrors = Record<string, string>;
export type Values = Record<string, string | undefined>;

// Years 2000–2099 only: nothing before or after is ever booked, and a bound year keeps every loop
// over the days or years of a range short (a school year ending 9999-12-31 froze its calendar page).
const DATE_RE = /^20\d{2}-\d{2}-\d{2}$/;

/** A real calendar day 'YYYY-MM-DD' of years 2000–2099 (2027-02-30 and 9999-12-31 are refused). */
export function isDay(value: string | undefined): value is string {
  if (!value || !DATE_RE.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/** « 8:30 », « 08:30 », « 8h30 », « 12 h » → « 08:30 », « 12:00 »; anything else (« 25:00 ») → undefined. */
export function normaliseTime(value: string | undefined): string | undefined {
  const m = /^(\d{1,2})\s*[:hH]\s*(\d{2})?$/.exec((value ?? '').trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** A rule's words after « Jusqu' »: « Jusqu'au jeudi de la semaine précédente, 12 h », « Jusqu'à la veille à 18 h » (never « Jusqu'à le »). */
export const untilText = (ruleWords: string) => (ruleWords.startsWith('le ') ? `Jusqu'au ${ruleWords.slice(3)}` : `Jusqu'à ${ruleWords}`);

/** A wall-clock date and time in Paris → the ISO UTC instant stored (DST handled by Temporal). */
export function parisToInstant(day: string, time: string): string {
  const zoned = Temporal.PlainDateTime.from(`${day}T${time}`).toZonedDateTime(TIME_ZONE, { disambiguation: 'compatible' });
  return new Date(zoned.epochMilliseconds).toISOString();
}

/** A stored instant → the Paris date and time an agent reads and edits. */
export function instantToParis(iso: string): { day: string; time: string } {
  const z = Temporal.Instant.from(iso).toZonedDateTimeISO(TIME_ZONE);
  return { day: z.toPlainDate().toString(), time: `${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}` };
}

export const RULE_PREFIXES = { booking: 'Délai de réservation', cancellation: 'Délai d\'annulation' } as const;
export type RulePrefix = keyof typeof RULE_PREFIXES;

/**
 * A deadline rule from its form fields `<prefix>_type` (days_before | weekday_previous_week), `<prefix>_days`,
 * `<prefix>_working` (oui | non), `<prefix>_weekday` (1–7) and `<prefix>_time` (HH:MM).
 */
export function ruleFromFields(values: Values, prefix: RulePrefix): { rule?: DeadlineRule; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const f = (name: string) => values[`${prefix}_${name}`]?.trim() ?? '';
  const what = prefix === 'booking' ? 'de réservation' : 'd\'annulation';
  const type = f('type');
  const time = normaliseTime(f('time'));
  if (!f('time')) errors[`${prefix}_time`] = `Saisissez l'heure limite ${what}, par exemple 12 h`;
  else if (!time) errors[`${prefix}_time`] = `Saisissez une heure limite ${what} valide, entre 0 h et 23 h 59, par exemple 12 h`;
  if (type === 'days_before') {
    const days = f('days');
    if (!/^\d{1,2}$/.test(days) || Number(days) > 30) errors[`${prefix}_days`] = `Saisissez le nombre de jours avant (délai ${what}), un nombre entier de 0 à 30`;
    const working = f('working');
    if (working !== 'oui' && working !== 'non') errors[`${prefix}_working`] = `Dites si le délai ${what} compte en jours ouvrés`;
    if (Object.keys(errors).length > 0 || !time) return { errors };
    return { rule: { kind: 'days_before', days: Number(days), working: working === 'oui', time }, errors };
  }
  if (type === 'weekday_previous_week') {
    const wd = f('weekday');
    if (!/^[1-7]$/.test(wd)) errors[`${prefix}_weekday`] = `Choisissez le jour de la semaine précédente (délai ${what})`;
    if (Object.keys(errors).length > 0 || !time) return { errors };
    return { rule: { kind: 'weekday_previous_week', weekday: Number(wd), time }, errors };
  }
  return { errors: { [`${prefix}_type`]: `Choisissez le type de délai ${what}`, ...errors } };
}

export function ruleToFields(rule: DeadlineRule, prefix: RulePrefix): Values {
  if (rule.kind === 'days_before') {
    return { [`${prefix}_type`]: 'days_before', [`${prefix}_days`]: String(rule.days), [`${prefix}_working`]: rule.working ? 'oui' : 'non', [`${prefix}_time`]: rule.time };
  }
  return { [`${prefix}_type`]: 'weekday_previous_week', [`${prefix}_weekday`]: String(rule.weekday), [`${prefix}_time`]: rule.time };
}

/** A school year lasts at most 13 months (from its first day): longer is a typing mistake. */
export const MAX_YEAR_MONTHS = 13;

/** Why a school year's span is refused, or null when it is fine or a day is itself invalid (said elsewhere). */
export function yearSpanError(start: string, end: string): string | null {
  // zod runs an object's refinements even when a field failed: the days may be anything here.
  if (!isDay(start) || !isDay(end)) return null;
  const latest = Temporal.PlainDate.from(start).add({ months: MAX_YEAR_MONTHS }).toString();
  return end > latest ? `Une année scolaire dure au plus ${MAX_YEAR_MONTHS} mois : choisissez un dernier jour au plus tard le ${dayLabel(latest, true)}` : null;
}

/**
 * The French public holidays falling between two days (a school year spans two calendar years).
 * At most three calendar years are read, whatever the range (a year saved before dates were bounded).
 */
export function publicHolidaysBetween(start: string, end: string): { day: string; name: string }[] {
  const out: { day: string; name: string }[] = [];
  const first = Number(start.slice(0, 4));
  for (let y = first; y <= Math.min(Number(end.slice(0, 4)), first + 2); y++) {
    for (const [day, name] of publicHolidays(y)) if (day >= start && day <= end) out.push({ day, name });
  }
  return out.sort((a, b) => a.day.localeCompare(b.day));
}

/**
 * Units a town declares as alternatives (« Journée avec repas » or « Matinée sans repas »): none,
 * or at least two units of the service. A code, its words in catalogue.outcomes.ts.
 */
export function exclusionError(chosen: string[], unitIds: string[]): 'unknown_units' | 'single_exclusive' | null {
  if (chosen.some((id) => !unitIds.includes(id))) return 'unknown_units';
  if (new Set(chosen).size === 1) return 'single_exclusive';
  return null;
}
