import { z } from 'zod';
import { formValues, requiredText } from '../../platform/http/forms.ts';
import { form, list, text } from '../../platform/http/input.ts';
import { isUuid } from '../../platform/ids.ts';
import type { FieldErrors } from '../../platform/ui/components.tsx';
import type { ServiceKind } from '../../platform/db/schema-services.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import type { Result } from '../../platform/result.ts';
import type { ServiceInput } from './catalogue.repository.ts';
import type { PeriodData } from './catalogue.service.ts';
import { isDay, normaliseTime, parisToInstant, ruleFromFields, SERVICE_KINDS, yearSpanError } from './catalogue.domain.ts';
import { CATALOGUE_REFUSALS, REFUSAL_FIELDS, type CatalogueRefusal } from './catalogue.outcomes.ts';

/**
 * The catalogue back office's forms: the structural shape of each body (bounded strings and lists,
 * checked by the route schema) and the parsers that turn a body into the service's input or into
 * French messages next to their fields.
 */

export const hasErrors = (e: FieldErrors) => Object.keys(e).length > 0;

const dayField = (message: string) => z.string({ error: message }).trim().refine(isDay, message);

export const facilitySchema = z.object({
  name: requiredText('Saisissez le nom de la structure', 120),
  kind: z.enum(['school', 'leisure_centre'], { error: 'Choisissez le type de structure' }),
  address: z.string().trim().max(200, '200 caractères au maximum').optional().transform((a) => a ?? ''),
});

export const groupSchema = z.object({ name: requiredText('Saisissez le nom du groupe', 80) });

export const unitSchema = z.object({
  label: requiredText('Saisissez le nom de l\'unité, par exemple « Repas »', 80),
  is_meal: z.enum(['oui', 'non'], { error: 'Dites si l\'unité comprend un repas' }),
});

export const yearSchema = z
  .object({
    label: requiredText('Saisissez le nom de l\'année scolaire, par exemple 2026-2027', 20),
    start: dayField('Saisissez le premier jour de l\'année scolaire'),
    end: dayField('Saisissez le dernier jour de l\'année scolaire'),
  })
  .refine((y) => y.end > y.start, { path: ['end'], message: 'Le dernier jour doit être après le premier jour' })
  .superRefine((y, c) => {
    const error = yearSpanError(y.start, y.end);
    if (error) c.addIssue({ code: 'custom', path: ['end'], message: error });
  });

// Structural shapes of the bodies (bounded strings and lists); the person-facing messages are in
// the schemas above, run by parseForm so that a refused form comes back with its values.
export const FacilityBody = form({ name: text(500).optional(), kind: text(50).optional(), address: text(1000).optional() });
export const GroupBody = form({ name: text(500).optional(), levels: list(50) });
export const AnimatorsBody = form({ agents: list(500) });
const ruleField = () => text(50).optional();
const ruleShape = {
  booking_type: ruleField(),
  booking_days: ruleField(),
  booking_working: ruleField(),
  booking_weekday: ruleField(),
  booking_time: ruleField(),
  cancellation_type: ruleField(),
  cancellation_days: ruleField(),
  cancellation_working: ruleField(),
  cancellation_weekday: ruleField(),
  cancellation_time: ruleField(),
};
export const ServiceBody = form({ facility: text(100).optional(), kind: text(50).optional(), name: text(500).optional(), weekdays: list(7, text(10)), levels: list(50), min_age: text(10).optional(), max_age: text(10).optional(), ...ruleShape });
export const UnitBody = form({ label: text(500).optional(), is_meal: text(10).optional() });
export const ExclusiveBody = form({ exclusive: list(100, text(100)) });
/** Capacity fields are named after each unit × group: keys are free-form, bounded in count and size. */
export const CapacitiesBody = z
  .record(z.string().max(100), z.string().max(200))
  .refine((o) => Object.keys(o).length <= 2000, 'Trop de champs envoyés');
export const YearBody = form({ label: text(200).optional(), start: text(20).optional(), end: text(20).optional() });
export const PeriodBody = form({
  kind: text(20).optional(),
  label: text(500).optional(),
  start: text(20).optional(),
  end: text(20).optional(),
  opens_date: text(20).optional(),
  opens_time: text(20).optional(),
  allocation: text(20).optional(),
  draw_mode: text(20).optional(),
  close_date: text(20).optional(),
  close_time: text(20).optional(),
});
export const ClosureBody = form({ day: text(20).optional(), facility: text(100).optional(), service: text(100).optional(), reason: text(500).optional() });
export const EmptyBody = form({});
export const NewServiceQuery = z.object({ structure: text(100).optional() });

export const closureSchema = z.object({
  day: dayField('Saisissez le jour à fermer'),
  facility: z.string({ error: 'Choisissez une structure' }).refine(isUuid, 'Choisissez une structure'),
  service: z.string().optional().refine((s) => !s || isUuid(s), 'Choisissez une prestation de la liste').transform((s) => s || null),
  reason: requiredText('Saisissez le motif de la fermeture, par exemple « grève »', 120),
});

/** Service form: base fields with zod, deadline rules with the catalogue's rule parser; errors in field order. */
export function parseServiceForm(body: z.infer<typeof ServiceBody>): { ok: true; data: ServiceInput } | { ok: false; errors: FieldErrors } {
  const values = formValues(body);
  const errors: FieldErrors = {};
  const facilityId = values.facility ?? '';
  if (!isUuid(facilityId)) errors.facility = 'Choisissez une structure';
  const kind = values.kind as ServiceKind;
  if (!(kind in SERVICE_KINDS)) errors.kind = 'Choisissez le type de prestation';
  const name = (values.name ?? '').trim();
  if (!name) errors.name = 'Saisissez le nom de la prestation';
  else if (name.length > 120) errors.name = '120 caractères au maximum';
  const weekdays = [...new Set(body.weekdays)].filter((d) => /^[1-7]$/.test(d)).map(Number).sort();
  if (weekdays.length === 0) errors.weekdays = 'Choisissez au moins un jour d\'ouverture';
  const age = (key: 'min_age' | 'max_age', label: string) => {
    const raw = (values[key] ?? '').trim();
    if (!raw) return null;
    if (!/^\d{1,2}$/.test(raw) || Number(raw) > 25) {
      errors[key] = `Saisissez l'âge ${label} en années, un nombre entier de 0 à 25, ou laissez vide`;
      return null;
    }
    return Number(raw);
  };
  const minAge = age('min_age', 'minimum');
  const maxAge = age('max_age', 'maximum');
  if (minAge !== null && maxAge !== null && maxAge < minAge) errors.max_age = 'L\'âge maximum doit être supérieur ou égal à l\'âge minimum';
  const booking = ruleFromFields(values, 'booking');
  const cancellation = ruleFromFields(values, 'cancellation');
  Object.assign(errors, booking.errors, cancellation.errors);
  if (hasErrors(errors) || !booking.rule || !cancellation.rule) return { ok: false, errors };
  return { ok: true, data: { facilityId, kind, name, weekdays, classLevels: body.levels, minAge, maxAge, bookingRule: booking.rule, cancellationRule: cancellation.rule } };
}

/** Period form: the opening and the close of requests are Paris date + time, stored as UTC instants. */
export function parsePeriodForm(body: z.infer<typeof PeriodBody>): { ok: true; data: PeriodData } | { ok: false; errors: FieldErrors } {
  const values = formValues(body);
  const errors: FieldErrors = {};
  const kind = values.kind;
  if (kind !== 'school' && kind !== 'holiday') errors.kind = 'Choisissez le type de période';
  const label = (values.label ?? '').trim();
  if (!label) errors.label = 'Saisissez le nom de la période';
  else if (label.length > 80) errors.label = '80 caractères au maximum';
  const start = values.start?.trim();
  const end = values.end?.trim();
  if (!isDay(start)) errors.start = 'Saisissez le premier jour de la période';
  if (!isDay(end)) errors.end = 'Saisissez le dernier jour de la période';
  else if (isDay(start) && end < start) errors.end = 'Le dernier jour doit être le premier jour ou après';

  const instant = (dateKey: string, timeKey: string, what: string, required: boolean): string | null => {
    const d = values[dateKey]?.trim() ?? '';
    const t = values[timeKey]?.trim() ?? '';
    if (!d && !t) {
      if (required) errors[dateKey] = `Saisissez la date ${what}`;
      return null;
    }
    if (!isDay(d)) errors[dateKey] = `Saisissez une date ${what} valide`;
    const time = normaliseTime(t);
    if (!t) errors[timeKey] = `Saisissez l'heure ${what}, par exemple 8 h 30`;
    else if (!time) errors[timeKey] = `Saisissez une heure ${what} valide, entre 0 h et 23 h 59, par exemple 8 h 30`;
    return isDay(d) && time ? parisToInstant(d, time) : null;
  };
  const opensAt = instant('opens_date', 'opens_time', 'd\'ouverture des réservations', false);
  const allocation = values.allocation ?? 'fcfs';
  if (allocation !== 'fcfs' && allocation !== 'draw') errors.allocation = 'Choisissez le mode d\'attribution des places';
  const closeAt = allocation === 'draw' ? instant('close_date', 'close_time', 'de clôture des demandes', true) : null;
  const drawMode = values.draw_mode || 'day';
  if (drawMode !== 'day' && drawMode !== 'request') errors.draw_mode = 'Choisissez comment le tirage attribue les jours : par jour ou par demande';
  if (opensAt && closeAt && closeAt <= opensAt) errors.close_date = 'La clôture des demandes doit venir après l\'ouverture des réservations';
  if (hasErrors(errors)) return { ok: false, errors };
  return { ok: true, data: { kind: kind as 'school' | 'holiday', label, start: start!, end: end!, bookingOpensAt: opensAt, allocation: allocation as 'fcfs' | 'draw', requestsCloseAt: closeAt, drawMode: drawMode as 'day' | 'request' } };
}

export const levelsOf = (csv: string) => csv.split(',').filter(Boolean);

/** A refusal of the service, shown next to its field; a value passes through. */
export function asForm<T>(result: Result<T, CatalogueRefusal>, detail: Partial<Record<CatalogueRefusal, string>> = {}): { ok: true; value: T } | { ok: false; errors: FieldErrors } {
  return result.ok ? result : { ok: false, errors: { [REFUSAL_FIELDS[result.code]]: `${CATALOGUE_REFUSALS[result.code]}${detail[result.code] ?? ''}` } };
}

/** The year's dates after a period's refusal: the agent sees what to type. */
export const yearDetail = (year: { label: string; start_date: string; end_date: string }): Partial<Record<CatalogueRefusal, string>> => ({
  period_starts_outside_year: ` ${year.label} (du ${dayLabel(year.start_date, true)} au ${dayLabel(year.end_date, true)})`,
  period_ends_after_year: ` (${dayLabel(year.end_date, true)})`,
});
