import type { App } from '../../platform/http/app-type.ts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { formValues, parseForm, requiredText } from '../../platform/http/forms.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { form, idParams, list, text } from '../../platform/http/input.ts';
import { isUuid } from '../../platform/ids.ts';
import type { FieldErrors, FormValues } from '../../platform/ui/components.tsx';
import type { ServiceKind } from '../../platform/db/schema-services.ts';
import { parseRule } from '../../platform/calendar/deadlines.domain.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import type { ServiceInput } from './catalogue.repository.ts';
import type { CatalogueService, PeriodData } from './catalogue.service.ts';
import { instantToParis, isDay, normaliseTime, parisToInstant, ruleFromFields, ruleToFields, SERVICE_KINDS, yearSpanError } from './catalogue.domain.ts';
import { CATALOGUE_REFUSALS, DRAW_REFUSALS, REFUSAL_FIELDS, type CatalogueRefusal } from './catalogue.outcomes.ts';
import type { Result } from '../../platform/result.ts';
import * as v from './catalogue.views.tsx';

const BASE = '/agent/catalogue';
const hasErrors = (e: FieldErrors) => Object.keys(e).length > 0;

const dayField = (message: string) => z.string({ error: message }).trim().refine(isDay, message);

const facilitySchema = z.object({
  name: requiredText('Saisissez le nom de la structure', 120),
  kind: z.enum(['school', 'leisure_centre'], { error: 'Choisissez le type de structure' }),
  address: z.string().trim().max(200, '200 caractères au maximum').optional().transform((a) => a ?? ''),
});

const groupSchema = z.object({ name: requiredText('Saisissez le nom du groupe', 80) });

const unitSchema = z.object({
  label: requiredText('Saisissez le nom de l\'unité, par exemple « Repas »', 80),
  is_meal: z.enum(['oui', 'non'], { error: 'Dites si l\'unité comprend un repas' }),
});

const yearSchema = z
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
const FacilityBody = form({ name: text(500).optional(), kind: text(50).optional(), address: text(1000).optional() });
const GroupBody = form({ name: text(500).optional(), levels: list(50) });
const AnimatorsBody = form({ agents: list(500) });
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
const ServiceBody = form({ facility: text(100).optional(), kind: text(50).optional(), name: text(500).optional(), weekdays: list(7, text(10)), levels: list(50), min_age: text(10).optional(), max_age: text(10).optional(), ...ruleShape });
const UnitBody = form({ label: text(500).optional(), is_meal: text(10).optional() });
const ExclusiveBody = form({ exclusive: list(100, text(100)) });
/** Capacity fields are named after each unit × group: any key, bounded in count and size. */
const CapacitiesBody = z
  .record(z.string().max(100), z.string().max(200))
  .refine((o) => Object.keys(o).length <= 2000, 'Trop de champs envoyés');
const YearBody = form({ label: text(200).optional(), start: text(20).optional(), end: text(20).optional() });
const PeriodBody = form({
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
const ClosureBody = form({ day: text(20).optional(), facility: text(100).optional(), service: text(100).optional(), reason: text(500).optional() });
const EmptyBody = form({});
const NewServiceQuery = z.object({ structure: text(100).optional() });

const closureSchema = z.object({
  day: dayField('Saisissez le jour à fermer'),
  facility: z.string({ error: 'Choisissez une structure' }).refine(isUuid, 'Choisissez une structure'),
  service: z.string().optional().refine((s) => !s || isUuid(s), 'Choisissez une prestation de la liste').transform((s) => s || null),
  reason: requiredText('Saisissez le motif de la fermeture, par exemple « grève »', 120),
});

/** Service form: base fields with zod, deadline rules with the catalogue's rule parser; errors in field order. */
function parseServiceForm(body: z.infer<typeof ServiceBody>): { ok: true; data: ServiceInput } | { ok: false; errors: FieldErrors } {
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
function parsePeriodForm(body: z.infer<typeof PeriodBody>): { ok: true; data: PeriodData } | { ok: false; errors: FieldErrors } {
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

const levelsOf = (csv: string) => csv.split(',').filter(Boolean);

/** A refusal of the service, shown next to its field; a value passes through. */
function asForm<T>(result: Result<T, CatalogueRefusal>, detail: Partial<Record<CatalogueRefusal, string>> = {}): { ok: true; value: T } | { ok: false; errors: FieldErrors } {
  return result.ok ? result : { ok: false, errors: { [REFUSAL_FIELDS[result.code]]: `${CATALOGUE_REFUSALS[result.code]}${detail[result.code] ?? ''}` } };
}

/** The year's dates after a period's refusal: the agent sees what to type. */
const yearDetail = (year: { label: string; start_date: string; end_date: string }): Partial<Record<CatalogueRefusal, string>> => ({
  period_starts_outside_year: ` ${year.label} (du ${dayLabel(year.start_date, true)} au ${dayLabel(year.end_date, true)})`,
  period_ends_after_year: ` (${dayLabel(year.end_date, true)})`,
});

/** Only admin and enfance agents manage the catalogue: checked before the body is read. */
const canManage = (req: FastifyRequest): Promise<void> => Promise.resolve().then(() => assertRole(req.auth, 'admin', 'enfance'));

/** Back office of the catalogue under /agent/catalogue (agents only, checked by the plugin; roles here and in the service). */
export function catalogueAgentRoutes(app: App, _ctx: AppContext, catalogue: CatalogueService) {
  const guarded = { onRequest: canManage };
  const withId = { onRequest: canManage, schema: { params: idParams } };
  const post = <B extends z.ZodType>(body: B) => ({ onRequest: canManage, schema: { params: idParams, body } });

  app.get(BASE, guarded, async (req, reply) => reply.page(v.OverviewPage({ ctx: req.pageCtx(), ...(await catalogue.overview(req.auth)) })));

  // Facilities

  app.get(`${BASE}/structures/nouvelle`, guarded, async (req, reply) => reply.page(v.FacilityFormPage({ ctx: req.pageCtx(), values: { kind: 'school' } })));
  app.post(`${BASE}/structures/nouvelle`, { onRequest: canManage, schema: { body: FacilityBody } }, async (req, reply) => {
    const form = parseForm(facilitySchema, req.body);
    if (!form.ok) return reply.page(v.FacilityFormPage({ ctx: req.pageCtx(), errors: form.errors, values: form.values }), 400);
    await catalogue.createFacility(req.auth, form.data);
    return reply.flash(`La structure ${form.data.name} est créée. Ajoutez ses groupes et ses prestations.`).seeOther(BASE);
  });
  app.get(`${BASE}/structures/:id/modifier`, withId, async (req, reply) => {
    const f = await catalogue.facility(req.auth, req.params.id);
    return reply.page(v.FacilityFormPage({ ctx: req.pageCtx(), id: f.id, values: { name: f.name, kind: f.kind, address: f.address } }));
  });
  app.post(`${BASE}/structures/:id/modifier`, post(FacilityBody), async (req, reply) => {
    const { id } = req.params;
    await catalogue.facility(req.auth, id);
    const form = parseForm(facilitySchema, req.body);
    if (!form.ok) return reply.page(v.FacilityFormPage({ ctx: req.pageCtx(), id, errors: form.errors, values: form.values }), 400);
    await catalogue.updateFacility(req.auth, id, form.data);
    return reply.flash(`La structure ${form.data.name} est enregistrée.`).seeOther(BASE);
  });

  // Groups

  app.get(`${BASE}/structures/:id/groupes/nouveau`, withId, async (req, reply) => {
    const f = await catalogue.facility(req.auth, req.params.id);
    return reply.page(v.GroupFormPage({ ctx: req.pageCtx(), facilityName: f.name, action: `${BASE}/structures/${f.id}/groupes/nouveau`, back: BASE, classLevels: await catalogue.classLevels(req.auth), levels: [], editing: false }));
  });
  app.post(`${BASE}/structures/:id/groupes/nouveau`, post(GroupBody), async (req, reply) => {
    const f = await catalogue.facility(req.auth, req.params.id);
    const levels = req.body.levels;
    const form = parseForm(groupSchema, req.body);
    const result = form.ok ? asForm(await catalogue.createGroup(req.auth, f.id, { name: form.data.name, classLevels: levels })) : { ok: false as const, errors: form.errors };
    if (!result.ok) return reply.page(v.GroupFormPage({ ctx: req.pageCtx(), facilityName: f.name, action: `${BASE}/structures/${f.id}/groupes/nouveau`, back: BASE, classLevels: await catalogue.classLevels(req.auth), levels, editing: false, errors: result.errors, values: form.values }), 400);
    return reply.flash(`Le groupe ${form.ok ? form.data.name : ''} est créé.`).seeOther(`${BASE}/groupes/${result.value}`);
  });
  app.get(`${BASE}/groupes/:id`, withId, async (req, reply) => reply.page(v.GroupPage({ ctx: req.pageCtx(), ...(await catalogue.group(req.auth, req.params.id)) })));
  app.get(`${BASE}/groupes/:id/modifier`, withId, async (req, reply) => {
    const { group: g } = await catalogue.group(req.auth, req.params.id);
    return reply.page(v.GroupFormPage({ ctx: req.pageCtx(), facilityName: g.facility_name, action: `${BASE}/groupes/${g.id}/modifier`, back: `${BASE}/groupes/${g.id}`, classLevels: await catalogue.classLevels(req.auth), levels: levelsOf(g.class_levels), editing: true, values: { name: g.name } }));
  });
  app.post(`${BASE}/groupes/:id/modifier`, post(GroupBody), async (req, reply) => {
    const { group: g } = await catalogue.group(req.auth, req.params.id);
    const levels = req.body.levels;
    const form = parseForm(groupSchema, req.body);
    const result = form.ok ? asForm(await catalogue.updateGroup(req.auth, g.id, { name: form.data.name, classLevels: levels })) : { ok: false as const, errors: form.errors };
    if (!result.ok) return reply.page(v.GroupFormPage({ ctx: req.pageCtx(), facilityName: g.facility_name, action: `${BASE}/groupes/${g.id}/modifier`, back: `${BASE}/groupes/${g.id}`, classLevels: await catalogue.classLevels(req.auth), levels, editing: true, errors: result.errors, values: form.values }), 400);
    return reply.flash('Le groupe est enregistré.').seeOther(`${BASE}/groupes/${g.id}`);
  });
  app.post(`${BASE}/groupes/:id/animateurs`, post(AnimatorsBody), async (req, reply) => {
    const { id } = req.params;
    const n = await catalogue.setAnimators(req.auth, id, req.body.agents);
    return reply.flash(n === 0 ? 'Aucun animateur n\'est affecté à ce groupe.' : `${n} animateur${n > 1 ? 's' : ''} affecté${n > 1 ? 's' : ''} à ce groupe.`).seeOther(`${BASE}/groupes/${id}`);
  });

  // Services

  const defaultRule = { kind: 'days_before', days: 2, working: true, time: '12:00' } as const;
  const serviceForm = async (req: FastifyRequest, p: { id?: string; values: FormValues; weekdays: string[]; levels: string[]; errors?: FieldErrors }) =>
    v.ServiceFormPage({ ctx: req.pageCtx(), ...p, facilities: await catalogue.facilities(req.auth), classLevels: await catalogue.classLevels(req.auth) });

  app.get(`${BASE}/prestations/nouvelle`, { onRequest: canManage, schema: { querystring: NewServiceQuery } }, async (req, reply) => {
    const { structure } = req.query;
    const values: FormValues = { facility: structure && isUuid(structure) ? structure : '', ...ruleToFields(defaultRule, 'booking'), ...ruleToFields(defaultRule, 'cancellation') };
    return reply.page(await serviceForm(req, { values, weekdays: ['1', '2', '4', '5'], levels: [] }));
  });
  app.post(`${BASE}/prestations/nouvelle`, { onRequest: canManage, schema: { body: ServiceBody } }, async (req, reply) => {
    const form = parseServiceForm(req.body);
    const result = form.ok ? asForm(await catalogue.createService(req.auth, form.data)) : form;
    if (!result.ok) return reply.page(await serviceForm(req, { values: formValues(req.body), weekdays: req.body.weekdays, levels: req.body.levels, errors: result.errors }), 400);
    return reply.flash('La prestation est créée. Ajoutez maintenant ses unités (repas, matin, journée…).').seeOther(`${BASE}/prestations/${result.value}`);
  });
  app.get(`${BASE}/prestations/:id`, withId, async (req, reply) => reply.page(v.ServicePage({ ctx: req.pageCtx(), ...(await catalogue.service(req.auth, req.params.id)) })));
  app.get(`${BASE}/prestations/:id/modifier`, withId, async (req, reply) => {
    const { service: s } = await catalogue.service(req.auth, req.params.id);
    const values: FormValues = {
      facility: s.facility_id,
      kind: s.kind,
      name: s.name,
      min_age: s.min_age === null ? '' : String(s.min_age),
      max_age: s.max_age === null ? '' : String(s.max_age),
      ...ruleToFields(parseRule(s.booking_rule), 'booking'),
      ...ruleToFields(parseRule(s.cancellation_rule), 'cancellation'),
    };
    return reply.page(await serviceForm(req, { id: s.id, values, weekdays: levelsOf(s.weekdays), levels: levelsOf(s.class_levels) }));
  });
  app.post(`${BASE}/prestations/:id/modifier`, post(ServiceBody), async (req, reply) => {
    const { id } = req.params;
    await catalogue.service(req.auth, id);
    const form = parseServiceForm(req.body);
    const result = form.ok ? asForm(await catalogue.updateService(req.auth, id, form.data)) : form;
    if (!result.ok) return reply.page(await serviceForm(req, { id, values: formValues(req.body), weekdays: req.body.weekdays, levels: req.body.levels, errors: result.errors }), 400);
    return reply.flash('La prestation est enregistrée.').seeOther(`${BASE}/prestations/${id}`);
  });

  // Units and capacities

  app.get(`${BASE}/prestations/:id/unites/nouvelle`, withId, async (req, reply) => {
    const { service } = await catalogue.service(req.auth, req.params.id);
    return reply.page(v.UnitFormPage({ ctx: req.pageCtx(), service, action: `${BASE}/prestations/${service.id}/unites/nouvelle`, editing: false, values: { is_meal: service.kind === 'canteen' ? 'oui' : '' } }));
  });
  app.post(`${BASE}/prestations/:id/unites/nouvelle`, post(UnitBody), async (req, reply) => {
    const { service } = await catalogue.service(req.auth, req.params.id);
    const form = parseForm(unitSchema, req.body);
    if (!form.ok) return reply.page(v.UnitFormPage({ ctx: req.pageCtx(), service, action: `${BASE}/prestations/${service.id}/unites/nouvelle`, editing: false, errors: form.errors, values: form.values }), 400);
    await catalogue.createUnit(req.auth, service.id, { label: form.data.label, isMeal: form.data.is_meal === 'oui' });
    return reply.flash(`L'unité ${form.data.label} est ajoutée.`).seeOther(`${BASE}/prestations/${service.id}`);
  });
  app.get(`${BASE}/unites/:id/modifier`, withId, async (req, reply) => {
    const { unit, service } = await catalogue.unit(req.auth, req.params.id);
    return reply.page(v.UnitFormPage({ ctx: req.pageCtx(), service, action: `${BASE}/unites/${unit.id}/modifier`, editing: true, values: { label: unit.label, is_meal: unit.is_meal ? 'oui' : 'non' } }));
  });
  app.post(`${BASE}/unites/:id/modifier`, post(UnitBody), async (req, reply) => {
    const { unit, service } = await catalogue.unit(req.auth, req.params.id);
    const form = parseForm(unitSchema, req.body);
    if (!form.ok) return reply.page(v.UnitFormPage({ ctx: req.pageCtx(), service, action: `${BASE}/unites/${unit.id}/modifier`, editing: true, errors: form.errors, values: form.values }), 400);
    await catalogue.updateUnit(req.auth, unit.id, { label: form.data.label, isMeal: form.data.is_meal === 'oui' });
    return reply.flash('L\'unité est enregistrée.').seeOther(`${BASE}/prestations/${service.id}`);
  });

  app.get(`${BASE}/prestations/:id/cumuls`, withId, async (req, reply) => {
    const { service, units } = await catalogue.service(req.auth, req.params.id);
    return reply.page(v.ExclusiveUnitsPage({ ctx: req.pageCtx(), service, units, selected: units.filter((u) => u.exclusion_group !== null).map((u) => u.id) }));
  });
  app.post(`${BASE}/prestations/:id/cumuls`, post(ExclusiveBody), async (req, reply) => {
    const { service, units } = await catalogue.service(req.auth, req.params.id);
    const result = await catalogue.setExclusiveUnits(req.auth, service.id, req.body.exclusive);
    if (!result.ok) return reply.page(v.ExclusiveUnitsPage({ ctx: req.pageCtx(), service, units, selected: req.body.exclusive, errors: { [REFUSAL_FIELDS[result.code]]: CATALOGUE_REFUSALS[result.code] } }), 400);
    return reply.flash(req.body.exclusive.length === 0 ? 'Toutes les unités se cumulent.' : 'Les unités qui ne se cumulent pas sont enregistrées.').seeOther(`${BASE}/prestations/${service.id}`);
  });

  app.get(`${BASE}/prestations/:id/capacites`, withId, async (req, reply) => {
    const { service, units, groups, capacity } = await catalogue.service(req.auth, req.params.id);
    const values: FormValues = {};
    for (const u of units) for (const g of groups) values[v.capacityField(u.id, g.id)] = capacity(u.id, g.id)?.toString() ?? '';
    return reply.page(v.CapacitiesPage({ ctx: req.pageCtx(), service, units, groups, values }));
  });
  app.post(`${BASE}/prestations/:id/capacites`, post(CapacitiesBody), async (req, reply) => {
    const { service, units, groups } = await catalogue.service(req.auth, req.params.id);
    const values = formValues(req.body);
    const errors: FieldErrors = {};
    const entries: { unitId: string; groupId: string; places: number | null }[] = [];
    for (const u of units) {
      for (const g of groups) {
        const key = v.capacityField(u.id, g.id);
        const raw = (values[key] ?? '').trim();
        if (raw && (!/^\d{1,4}$/.test(raw) || Number(raw) < 1)) errors[key] = `${u.label} – groupe ${g.name} : saisissez un nombre de places entier, au moins 1, ou laissez vide pour illimité`;
        else entries.push({ unitId: u.id, groupId: g.id, places: raw ? Number(raw) : null });
      }
    }
    if (hasErrors(errors)) return reply.page(v.CapacitiesPage({ ctx: req.pageCtx(), service, units, groups, errors, values }), 400);
    await catalogue.setCapacities(req.auth, service.id, entries);
    return reply.flash('Les capacités sont enregistrées.').seeOther(`${BASE}/prestations/${service.id}`);
  });

  // School years, calendar, periods

  app.get(`${BASE}/annees/nouvelle`, guarded, async (req, reply) => reply.page(v.YearFormPage({ ctx: req.pageCtx() })));
  app.post(`${BASE}/annees/nouvelle`, { onRequest: canManage, schema: { body: YearBody } }, async (req, reply) => {
    const form = parseForm(yearSchema, req.body);
    const result = form.ok ? asForm(await catalogue.createYear(req.auth, form.data)) : form;
    if (!result.ok) return reply.page(v.YearFormPage({ ctx: req.pageCtx(), errors: result.errors, values: form.values }), 400);
    return reply.flash(`L'année scolaire ${form.ok ? form.data.label : ''} est créée. Ajoutez ses périodes.`).seeOther(`${BASE}/annees/${result.value}`);
  });
  app.get(`${BASE}/annees/:id`, withId, async (req, reply) => reply.page(v.CalendarPage({ ctx: req.pageCtx(), ...(await catalogue.calendar(req.auth, req.params.id)) })));
  app.get(`${BASE}/annees/:id/modifier`, withId, async (req, reply) => {
    const y = await catalogue.year(req.auth, req.params.id);
    return reply.page(v.YearFormPage({ ctx: req.pageCtx(), id: y.id, values: { label: y.label, start: y.start_date, end: y.end_date } }));
  });
  app.post(`${BASE}/annees/:id/modifier`, post(YearBody), async (req, reply) => {
    const y = await catalogue.year(req.auth, req.params.id);
    const form = parseForm(yearSchema, req.body);
    const result = form.ok ? asForm(await catalogue.updateYear(req.auth, y.id, form.data)) : form;
    if (!result.ok) return reply.page(v.YearFormPage({ ctx: req.pageCtx(), id: y.id, errors: result.errors, values: form.values }), 400);
    return reply.flash('L\'année scolaire est enregistrée.').seeOther(`${BASE}/annees/${y.id}`);
  });

  app.get(`${BASE}/annees/:id/periodes/nouvelle`, withId, async (req, reply) => {
    const year = await catalogue.year(req.auth, req.params.id);
    return reply.page(v.PeriodFormPage({ ctx: req.pageCtx(), year, values: { allocation: 'fcfs', draw_mode: 'day' } }));
  });
  app.post(`${BASE}/annees/:id/periodes/nouvelle`, post(PeriodBody), async (req, reply) => {
    const year = await catalogue.year(req.auth, req.params.id);
    const form = parsePeriodForm(req.body);
    const result = form.ok ? asForm(await catalogue.createPeriod(req.auth, year.id, form.data), yearDetail(year)) : form;
    if (!result.ok) return reply.page(v.PeriodFormPage({ ctx: req.pageCtx(), year, errors: result.errors, values: formValues(req.body) }), 400);
    return reply.flash('La période est créée.').seeOther(`${BASE}/periodes/${result.value}`);
  });
  app.get(`${BASE}/periodes/:id`, withId, async (req, reply) => reply.page(v.PeriodPage({ ctx: req.pageCtx(), ...(await catalogue.period(req.auth, req.params.id)) })));
  app.get(`${BASE}/periodes/:id/modifier`, withId, async (req, reply) => {
    const { period: p, year } = await catalogue.period(req.auth, req.params.id);
    const opens = p.booking_opens_at ? instantToParis(p.booking_opens_at) : null;
    const close = p.requests_close_at ? instantToParis(p.requests_close_at) : null;
    const values: FormValues = { kind: p.kind, label: p.label, start: p.start_date, end: p.end_date, opens_date: opens?.day, opens_time: opens?.time, allocation: p.allocation, draw_mode: p.draw_mode, close_date: close?.day, close_time: close?.time };
    return reply.page(v.PeriodFormPage({ ctx: req.pageCtx(), year, id: p.id, values }));
  });
  app.post(`${BASE}/periodes/:id/modifier`, post(PeriodBody), async (req, reply) => {
    const { period: p, year } = await catalogue.period(req.auth, req.params.id);
    const form = parsePeriodForm(req.body);
    const result = form.ok ? asForm(await catalogue.updatePeriod(req.auth, p.id, form.data), yearDetail(year)) : form;
    if (!result.ok) return reply.page(v.PeriodFormPage({ ctx: req.pageCtx(), year, id: p.id, errors: result.errors, values: formValues(req.body) }), 400);
    return reply.flash('La période est enregistrée.').seeOther(`${BASE}/periodes/${p.id}`);
  });
  app.post(`${BASE}/periodes/:id/tirage`, post(EmptyBody), async (req, reply) => {
    const { id } = req.params;
    const result = await catalogue.draw(req.auth, id);
    if (!result.ok) return reply.page(v.PeriodPage({ ctx: req.pageCtx(), ...(await catalogue.period(req.auth, id)), error: DRAW_REFUSALS[result.code] }), 409);
    const { booked, waiting, households } = result.value;
    return reply
      .flash(`Tirage effectué : ${booked} place${booked > 1 ? 's' : ''} attribuée${booked > 1 ? 's' : ''}, ${waiting} demande${waiting > 1 ? 's' : ''} en liste d'attente. ${households} famille${households > 1 ? 's' : ''} prévenue${households > 1 ? 's' : ''} sur le portail et par courriel.`)
      .seeOther(`${BASE}/periodes/${id}`);
  });

  // Closing a day: form, « Vérifiez » page with what will be cancelled, then the closure itself.

  const closeForm = async (req: FastifyRequest, yearId: string, errors?: FieldErrors, values?: FormValues) => {
    const [year, choices] = await Promise.all([catalogue.year(req.auth, yearId), catalogue.closureChoices(req.auth)]);
    return v.CloseDayPage({ ctx: req.pageCtx(), year, ...choices, errors, values });
  };
  const parseClosure = async (req: FastifyRequest, yearId: string, body: z.infer<typeof ClosureBody>) => {
    const year = await catalogue.year(req.auth, yearId);
    const form = parseForm(closureSchema, body);
    if (!form.ok) return { ok: false as const, errors: form.errors, values: form.values, year };
    if (form.data.day < year.start_date || form.data.day > year.end_date) return { ok: false as const, errors: { day: `Choisissez un jour de l'année scolaire ${year.label}` }, values: form.values, year };
    const data = { day: form.data.day, facilityId: form.data.facility, serviceId: form.data.service, reason: form.data.reason };
    return { ok: true as const, data, values: form.values, year };
  };

  app.get(`${BASE}/annees/:id/fermer`, withId, async (req, reply) => reply.page(await closeForm(req, req.params.id)));
  app.post(`${BASE}/annees/:id/fermer`, post(ClosureBody), async (req, reply) => {
    const yearId = req.params.id;
    const form = await parseClosure(req, yearId, req.body);
    if (!form.ok) return reply.page(await closeForm(req, yearId, form.errors, form.values), 400);
    const preview = asForm(await catalogue.previewClosure(req.auth, form.data));
    if (!preview.ok) return reply.page(await closeForm(req, yearId, preview.errors, form.values), 400);
    const d = form.data;
    return reply.page(v.CloseDayCheckPage({ ctx: req.pageCtx(), year: form.year, values: { day: d.day, facility: d.facilityId, service: d.serviceId ?? '', reason: d.reason }, ...preview.value }));
  });
  app.post(`${BASE}/annees/:id/fermer/confirmer`, post(ClosureBody), async (req, reply) => {
    const yearId = req.params.id;
    const form = await parseClosure(req, yearId, req.body);
    if (!form.ok) return reply.page(await closeForm(req, yearId, form.errors, form.values), 400);
    const result = asForm(await catalogue.closeDay(req.auth, form.data));
    if (!result.ok) return reply.page(await closeForm(req, yearId, result.errors, form.values), 400);
    const { cancelled, households } = result.value;
    return reply
      .flash(`La journée est fermée : ${cancelled} réservation${cancelled > 1 ? 's' : ''} annulée${cancelled > 1 ? 's' : ''}, ${households} famille${households > 1 ? 's' : ''} prévenue${households > 1 ? 's' : ''}.`)
      .seeOther(`${BASE}/annees/${yearId}`);
  });
}
