import { Temporal } from 'temporal-polyfill';

/**
 * The town's calendar, pure: French public holidays, days of a period, working days.
 * Days are 'YYYY-MM-DD' strings; instants are handled in Europe/Paris by the deadline rules.
 */

export const TIME_ZONE = 'Europe/Paris';

const pd = (day: string) => Temporal.PlainDate.from(day);

/** Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Temporal.PlainDate.from({ year, month, day }).toString();
}

/** The eleven French public holidays of a year (metropolitan France), with their names. */
export function publicHolidays(year: number): Map<string, string> {
  const easter = pd(easterSunday(year));
  const fixed: [string, string][] = [
    ['01-01', 'Jour de l\'an'],
    ['05-01', 'Fête du Travail'],
    ['05-08', 'Victoire 1945'],
    ['07-14', 'Fête nationale'],
    ['08-15', 'Assomption'],
    ['11-01', 'Toussaint'],
    ['11-11', 'Armistice 1918'],
    ['12-25', 'Noël'],
  ];
  const days = new Map<string, string>(fixed.map(([md, name]) => [`${year}-${md}`, name]));
  days.set(easter.add({ days: 1 }).toString(), 'Lundi de Pâques');
  days.set(easter.add({ days: 39 }).toString(), 'Ascension');
  days.set(easter.add({ days: 50 }).toString(), 'Lundi de Pentecôte');
  return days;
}

const holidayCache = new Map<number, Map<string, string>>();
export function publicHolidayName(day: string): string | undefined {
  const year = Number(day.slice(0, 4));
  let map = holidayCache.get(year);
  if (!map) holidayCache.set(year, (map = publicHolidays(year)));
  return map.get(day);
}

// Plain-day arithmetic on UTC midnights: no time zone is involved, and it is many times cheaper
// than the Temporal polyfill on the hot paths (every day of every calendar, every booking).
const DAY_MS = 86_400_000;
// Both directions are memoised (bounded): a page turns the same few dozen days back and forth
// hundreds of times, and each Date.parse or toISOString costs more than the arithmetic around it.
const midnights = new Map<string, number>();
const isoDays = new Map<number, string>();
function utcMidnight(day: string): number {
  let t = midnights.get(day);
  if (t === undefined) {
    t = Date.parse(`${day}T00:00:00Z`);
    // Date.parse rolls 30 February over to March: a day that does not exist is an error, as with Temporal.
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day) throw new RangeError(`Jour invalide : ${day}`);
    if (midnights.size >= 20_000) midnights.clear();
    midnights.set(day, t);
  }
  return t;
}
/** True for a day 'YYYY-MM-DD' that exists (memoised with the day arithmetic: forms check every key). */
export function isRealDay(day: string): boolean {
  try {
    utcMidnight(day);
    return true;
  } catch {
    return false;
  }
}
function isoDay(t: number): string {
  let day = isoDays.get(t);
  if (day === undefined) {
    day = new Date(t).toISOString().slice(0, 10);
    if (isoDays.size >= 20_000) isoDays.clear();
    isoDays.set(t, day);
  }
  return day;
}

const weekdays = new Map<string, number>();

/** ISO weekday: 1 = Monday … 7 = Sunday (asked several times for each day of each calendar: memo). */
export function weekday(day: string): number {
  let wd = weekdays.get(day);
  if (wd === undefined) {
    wd = ((new Date(utcMidnight(day)).getUTCDay() + 6) % 7) + 1;
    if (weekdays.size >= 10_000) weekdays.clear();
    weekdays.set(day, wd);
  }
  return wd;
}

/** Monday to Friday and not a public holiday. */
export const isWorkingDay = (day: string) => weekday(day) <= 5 && !publicHolidayName(day);

export const addDays = (day: string, n: number) => isoDay(utcMidnight(day) + n * DAY_MS);

export function daysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = utcMidnight(start), last = utcMidnight(end); t <= last; t += DAY_MS) out.push(isoDay(t));
  return out;
}

/** Monday of the week containing the day. */
export const mondayOf = (day: string) => addDays(day, 1 - weekday(day));

export function monthDays(month: string): string[] {
  const first = pd(`${month}-01`);
  return daysBetween(first.toString(), first.add({ months: 1 }).subtract({ days: 1 }).toString());
}

// The Paris day and hour of an instant cost a time-zone conversion; pages ask for them many times
// (today, each deadline shown, the home page's week). Paris changes hour only on a whole minute:
// memo per minute, bounded.
const parisClock = new Map<number, { day: string; hour: number }>();
function parisWallClock(instant: Date): { day: string; hour: number } {
  const minute = Math.floor(instant.getTime() / 60_000);
  let wall = parisClock.get(minute);
  if (wall === undefined) {
    const zoned = Temporal.Instant.fromEpochMilliseconds(minute * 60_000).toZonedDateTimeISO(TIME_ZONE);
    wall = { day: zoned.toPlainDate().toString(), hour: zoned.hour };
    if (parisClock.size >= 10_000) parisClock.clear();
    parisClock.set(minute, wall);
  }
  return wall;
}

/** The day in Paris at an instant. */
export const todayIn = (instant: Date): string => parisWallClock(instant).day;
/** The hour (0–23) in Paris at an instant. */
export const parisHour = (instant: Date): number => parisWallClock(instant).hour;

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** « mardi 3 décembre » */
export function dayLabel(day: string, withYear = false): string {
  const n = Number(day.slice(8, 10));
  return `${WEEKDAYS[weekday(day) - 1]} ${n === 1 ? '1er' : n} ${MONTHS[Number(day.slice(5, 7)) - 1]}${withYear ? ` ${day.slice(0, 4)}` : ''}`;
}

/** « décembre 2026 » */
export const monthLabel = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
export const weekdayName = (iso: number) => WEEKDAYS[iso - 1];
