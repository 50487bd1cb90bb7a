/** French formatting of dates and amounts, always in the town's time zone. */
const TZ = 'Europe/Paris';

const dateLong = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const dateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
const dateShort = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' });
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

const asDate = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d);

/** « mardi 3 décembre 2026 », « mercredi 1er janvier 2027 » */
export const formatDateLong = (d: Date | string) => firstOfMonth(dateLong.format(asDate(d)));
/** « jeudi 3 décembre 2026 à 14 h 05 », « vendredi 1er janvier 2027 à 9 h »: people read the weekday with a date. */
export function formatDateTime(d: Date | string): string {
  const parts = Object.fromEntries(dateTime.formatToParts(asDate(d)).map((p) => [p.type, p.value]));
  const day = parts.day === '1' ? '1er' : parts.day;
  return `${parts.weekday} ${day} ${parts.month} ${parts.year} à ${formatTime({ hour: Number(parts.hour), minute: Number(parts.minute) })}`;
}
/** Intl writes « 1 janvier »; French writes « 1er janvier ». */
const firstOfMonth = (text: string) => text.replace(/(^|\s)1 (?=\p{L})/u, '$11er ');
/** « 03/12/2026 » */
export const formatDateShort = (d: Date | string) => dateShort.format(asDate(d));
/** « 12,50 € » from integer cents. */
export const formatEuros = (cents: number) => euros.format(cents / 100).replace(/\u202f/g, ' ');

/**
 * « 12 h », « 18 h 30 »: the time as the French administration writes it, from « HH:MM » or hours
 * and minutes (never « 12:00 » nor « 12 h 00 »).
 */
export function formatTime(time: string | { hour: number; minute: number }): string {
  const [h, m] = typeof time === 'string' ? time.split(':').map(Number) : [time.hour, time.minute];
  return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h`;
}

/** « 1 demande », « 3 demandes », « 0 demande »: a count with its noun, never « demande(s) ». */
export const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** Only the word, agreed with a count: « 3 demandes sont arrivées » → `${plural(..)} ${agree(n, 'est arrivée', 'sont arrivées')}`. */
export const agree = (n: number, one: string, many: string) => (n > 1 ? many : one);

/** « 01 23 45 67 89 » from a French number however typed; anything else is shown as given. */
export function formatPhone(phone: string): string {
  const digits = phone.replace(/[\s.\-()]/g, '');
  // Non-breaking spaces: a number is read (and dialled) as one piece, never split across lines.
  if (/^0\d{9}$/.test(digits)) return digits.replace(/(\d\d)(?=\d)/g, '$1\u00a0');
  if (/^\+33\d{9}$/.test(digits)) return `+33\u00a0${digits.slice(3, 4)}\u00a0${digits.slice(4).replace(/(\d\d)(?=\d)/g, '$1\u00a0')}`;
  return phone.trim();
}

/** « le foyer Durand » from « Foyer Durand » (household names already start with « Foyer »). */
export const householdName = (name: string) => name.replace(/^Foyer\s+/i, '');
