/** French formatting of dates and amounts, always in the town's time zone. */
const TZ = 'Europe/Paris';

const dateLong = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const dateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const dateShort = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' });
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

const asDate = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d);

/** « mardi 3 décembre 2026 » */
export const formatDateLong = (d: Date | string) => dateLong.format(asDate(d));
/** « 3 décembre 2026 à 14:05 » */
export const formatDateTime = (d: Date | string) => dateTime.format(asDate(d)).replace(' à ', ' à ');
/** « 03/12/2026 » */
export const formatDateShort = (d: Date | string) => dateShort.format(asDate(d));
/** « 12,50 € » from integer cents. */
export const formatEuros = (cents: number) => euros.format(cents / 100).replace(/\u202f/g, '\u00a0');
