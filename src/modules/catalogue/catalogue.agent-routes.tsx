import type { App } from '../../platform/http/app-type.ts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { formValues, parseForm } from '../../platform/http/forms.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/http/input.ts';
import { isUuid } from '../../platform/ids.ts';
import type { FieldErrors, FormValues } from '../../platform/ui/components.tsx';
import { parseRule } from '../../platform/calendar/deadlines.domain.ts';
import type { CatalogueService } from './catalogue.service.ts';
import { instantToParis, ruleToFields } from './catalogue.domain.ts';
import { CATALOGUE_REFUSALS, DRAW_REFUSALS, REFUSAL_FIELDS } from './catalogue.outcomes.ts';
import { hasErrors, facilitySchema, groupSchema, unitSchema, yearSchema, FacilityBody, GroupBody, AnimatorsBody, ServiceBody, UnitBody, ExclusiveBody, CapacitiesBody, YearBody, PeriodBody, ClosureBody, EmptyBody, NewServiceQuery, closureSchema, parseServiceForm, parsePeriodForm, levelsOf, asForm, yearDetail } from './catalogue.agent-forms.ts';
import { FacilityFormPage, GroupFormPage, GroupPage, OverviewPage } from './catalogue.facility-views.tsx';
import { CapacitiesPage, ExclusiveUnitsPage, ServiceFormPage, ServicePage, UnitFormPage, capacityField } from './catalogue.service-views.tsx';
import { RequiredDocumentsPage, SUBJECT_VALUES, beforeField, choiceField } from './catalogue.documents-views.tsx';
import { catalogueDocumentsService } from './catalogue.documents-service.ts';
import { requiredDocuments } from './catalogue.documents.repository.ts';
import { CalendarPage, CloseDayCheckPage, CloseDayPage, PeriodFormPage, PeriodPage, YearFormPage } from './catalogue.calendar-views.tsx';

const BASE = '/agent/catalogue';

/** Only admin and enfance agents manage the catalogue: checked before the body is read. */
const canManage = (req: FastifyRequest): Promise<void> => Promise.resolve().then(() => assertRole(req.auth, 'admin', 'enfance'));

/** Back office of the catalogue under /agent/catalogue (agents only, checked by the plugin; roles here and in the service). */
export function catalogueAgentRoutes(app: App, ctx: AppContext, catalogue: CatalogueService) {
  const guarded = { onRequest: canManage };
  const withId = { onRequest: canManage, schema: { params: idParams } };
  const post = <B extends z.ZodType>(body: B) => ({ onRequest: canManage, schema: { params: idParams, body } });

  app.get(BASE, guarded, async (req, reply) => reply.page(OverviewPage({ ctx: req.pageCtx(), ...(await catalogue.overview(req.auth)) })));

  // Facilities

  app.get(`${BASE}/structures/nouvelle`, guarded, async (req, reply) => reply.page(FacilityFormPage({ ctx: req.pageCtx(), values: { kind: 'school' } })));
  app.post(`${BASE}/structures/nouvelle`, { onRequest: canManage, schema: { body: FacilityBody } }, async (req, reply) => {
    const form = parseForm(facilitySchema, req.body);
    if (!form.ok) return reply.page(FacilityFormPage({ ctx: req.pageCtx(), errors: form.errors, values: form.values }), 400);
    await catalogue.createFacility(req.auth, form.data);
    return reply.flash(`La structure ${form.data.name} est créée. Ajoutez ses groupes et ses prestations.`).seeOther(BASE);
  });
  app.get(`${BASE}/structures/:id/modifier`, withId, async (req, reply) => {
    const f = await catalogue.facility(req.auth, req.params.id);
    return reply.page(FacilityFormPage({ ctx: req.pageCtx(), id: f.id, values: { name: f.name, kind: f.kind, address: f.address } }));
  });
  app.post(`${BASE}/structures/:id/modifier`, post(FacilityBody), async (req, reply) => {
    const { id } = req.params;
    await catalogue.facility(req.auth, id);
    const form = parseForm(facilitySchema, req.body);
    if (!form.ok) return reply.page(FacilityFormPage({ ctx: req.pageCtx(), id, errors: form.errors, values: form.values }), 400);
    await catalogue.updateFacility(req.auth, id, form.data);
    return reply.flash(`La structure ${form.data.name} est enregistrée.`).seeOther(BASE);
  });

  // Groups

  app.get(`${BASE}/structures/:id/groupes/nouveau`, withId, async (req, reply) => {
    const f = await catalogue.facility(req.auth, req.params.id);
    return reply.page(GroupFormPage({ ctx: req.pageCtx(), facilityName: f.name, action: `${BASE}/structures/${f.id}/groupes/nouveau`, back: BASE, classLevels: await catalogue.classLevels(req.auth), levels: [], editing: false }));
  });
  app.post(`${BASE}/structures/:id/groupes/nouveau`, post(GroupBody), async (req, reply) => {
    const f = await catalogue.facility(req.auth, req.params.id);
    const levels = req.body.levels;
    const form = parseForm(groupSchema, req.body);
    const result = form.ok ? asForm(await catalogue.createGroup(req.auth, f.id, { name: form.data.name, classLevels: levels })) : { ok: false as const, errors: form.errors };
    if (!result.ok) return reply.page(GroupFormPage({ ctx: req.pageCtx(), facilityName: f.name, action: `${BASE}/structures/${f.id}/groupes/nouveau`, back: BASE, classLevels: await catalogue.classLevels(req.auth), levels, editing: false, errors: result.errors, values: form.values }), 400);
    return reply.flash(`Le groupe ${form.ok ? form.data.name : ''} est créé.`).seeOther(`${BASE}/groupes/${result.value}`);
  });
  app.get(`${BASE}/groupes/:id`, withId, async (req, reply) => reply.page(GroupPage({ ctx: req.pageCtx(), ...(await catalogue.group(req.auth, req.params.id)) })));
  app.get(`${BASE}/groupes/:id/modifier`, withId, async (req, reply) => {
    const { group: g } = await catalogue.group(req.auth, req.params.id);
    return reply.page(GroupFormPage({ ctx: req.pageCtx(), facilityName: g.facility_name, action: `${BASE}/groupes/${g.id}/modifier`, back: `${BASE}/groupes/${g.id}`, classLevels: await catalogue.classLevels(req.auth), levels: levelsOf(g.class_levels), editing: true, values: { name: g.name } }));
  });
  app.post(`${BASE}/groupes/:id/modifier`, post(GroupBody), async (req, reply) => {
    const { group: g } = await catalogue.group(req.auth, req.params.id);
    const levels = req.body.levels;
    const form = parseForm(groupSchema, req.body);
    const result = form.ok ? asForm(await catalogue.updateGroup(req.auth, g.id, { name: form.data.name, classLevels: levels })) : { ok: false as const, errors: form.errors };
    if (!result.ok) return reply.page(GroupFormPage({ ctx: req.pageCtx(), facilityName: g.facility_name, action: `${BASE}/groupes/${g.id}/modifier`, back: `${BASE}/groupes/${g.id}`, classLevels: await catalogue.classLevels(req.auth), levels, editing: true, errors: result.errors, values: form.values }), 400);
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
    ServiceFormPage({ ctx: req.pageCtx(), ...p, facilities: await catalogue.facilities(req.auth), classLevels: await catalogue.classLevels(req.auth) });

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
  app.get(`${BASE}/prestations/:id`, withId, async (req, reply) => {
    const page = await catalogue.service(req.auth, req.params.id);
    return reply.page(ServicePage({ ctx: req.pageCtx(), ...page, required: await requiredDocuments(ctx.db, page.service.id) }));
  });

  // The documents required to enrol (issue 12): one radio per type; only the types changed on the page are written.
  const documents = catalogueDocumentsService(ctx);
  app.get(`${BASE}/prestations/:id/pieces`, withId, async (req, reply) => reply.page(RequiredDocumentsPage({ ctx: req.pageCtx(), ...(await documents.settings(req.auth, req.params.id)) })));
  app.post(`${BASE}/prestations/:id/pieces`, post(CapacitiesBody), async (req, reply) => {
    const settings = await documents.settings(req.auth, req.params.id);
    const body = req.body;
    const bad = settings.types.filter((t) => !(String(body[choiceField(t.id)] ?? 'non') in SUBJECT_VALUES));
    if (bad.length > 0) {
      const errors = Object.fromEntries(bad.map((t) => [choiceField(t.id), `Choisissez si ${t.label.toLowerCase()} est demandé, et pour qui`]));
      return reply.page(RequiredDocumentsPage({ ctx: req.pageCtx(), ...settings, errors, values: body }), 400);
    }
    const subject = (v: string | undefined) => SUBJECT_VALUES[v ?? 'non'] ?? null;
    const changes = settings.types.map((t) => ({ typeId: t.id, before: subject(body[beforeField(t.id)]), after: subject(body[choiceField(t.id)]) }));
    const n = await documents.save(req.auth, settings.service.id, changes);
    return reply.flash(n === 0 ? 'Rien n\'a changé.' : 'Les pièces demandées à l\'inscription sont enregistrées.').seeOther(`${BASE}/prestations/${settings.service.id}`);
  });
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
    return reply.page(UnitFormPage({ ctx: req.pageCtx(), service, action: `${BASE}/prestations/${service.id}/unites/nouvelle`, editing: false, values: { is_meal: service.kind === 'canteen' ? 'oui' : '' } }));
  });
  app.post(`${BASE}/prestations/:id/unites/nouvelle`, post(UnitBody), async (req, reply) => {
    const { service } = await catalogue.service(req.auth, req.params.id);
    const form = parseForm(unitSchema, req.body);
    if (!form.ok) return reply.page(UnitFormPage({ ctx: req.pageCtx(), service, action: `${BASE}/prestations/${service.id}/unites/nouvelle`, editing: false, errors: form.errors, values: form.values }), 400);
    await catalogue.createUnit(req.auth, service.id, { label: form.data.label, isMeal: form.data.is_meal === 'oui' });
    return reply.flash(`L'unité ${form.data.label} est ajoutée.`).seeOther(`${BASE}/prestations/${service.id}`);
  });
  app.get(`${BASE}/unites/:id/modifier`, withId, async (req, reply) => {
    const { unit, service } = await catalogue.unit(req.auth, req.params.id);
    return reply.page(UnitFormPage({ ctx: req.pageCtx(), service, action: `${BASE}/unites/${unit.id}/modifier`, editing: true, values: { label: unit.label, is_meal: unit.is_meal ? 'oui' : 'non' } }));
  });
  app.post(`${BASE}/unites/:id/modifier`, post(UnitBody), async (req, reply) => {
    const { unit, service } = await catalogue.unit(req.auth, req.params.id);
    const form = parseForm(unitSchema, req.body);
    if (!form.ok) return reply.page(UnitFormPage({ ctx: req.pageCtx(), service, action: `${BASE}/unites/${unit.id}/modifier`, editing: true, errors: form.errors, values: form.values }), 400);
    await catalogue.updateUnit(req.auth, unit.id, { label: form.data.label, isMeal: form.data.is_meal === 'oui' });
    return reply.flash('L\'unité est enregistrée.').seeOther(`${BASE}/prestations/${service.id}`);
  });

  app.get(`${BASE}/prestations/:id/cumuls`, withId, async (req, reply) => {
    const { service, units } = await catalogue.service(req.auth, req.params.id);
    return reply.page(ExclusiveUnitsPage({ ctx: req.pageCtx(), service, units, selected: units.filter((u) => u.exclusion_group !== null).map((u) => u.id) }));
  });
  app.post(`${BASE}/prestations/:id/cumuls`, post(ExclusiveBody), async (req, reply) => {
    const { service, units } = await catalogue.service(req.auth, req.params.id);
    const result = await catalogue.setExclusiveUnits(req.auth, service.id, req.body.exclusive);
    if (!result.ok) return reply.page(ExclusiveUnitsPage({ ctx: req.pageCtx(), service, units, selected: req.body.exclusive, errors: { [REFUSAL_FIELDS[result.code]]: CATALOGUE_REFUSALS[result.code] } }), 400);
    return reply.flash(req.body.exclusive.length === 0 ? 'Toutes les unités se cumulent.' : 'Les unités qui ne se cumulent pas sont enregistrées.').seeOther(`${BASE}/prestations/${service.id}`);
  });

  app.get(`${BASE}/prestations/:id/capacites`, withId, async (req, reply) => {
    const { service, units, groups, capacity } = await catalogue.service(req.auth, req.params.id);
    const values: FormValues = {};
    for (const u of units) for (const g of groups) values[capacityField(u.id, g.id)] = capacity(u.id, g.id)?.toString() ?? '';
    return reply.page(CapacitiesPage({ ctx: req.pageCtx(), service, units, groups, values }));
  });
  app.post(`${BASE}/prestations/:id/capacites`, post(CapacitiesBody), async (req, reply) => {
    const { service, units, groups } = await catalogue.service(req.auth, req.params.id);
    const values = formValues(req.body);
    const errors: FieldErrors = {};
    const entries: { unitId: string; groupId: string; places: number | null }[] = [];
    for (const u of units) {
      for (const g of groups) {
        const key = capacityField(u.id, g.id);
        const raw = (values[key] ?? '').trim();
        if (raw && (!/^\d{1,4}$/.test(raw) || Number(raw) < 1)) errors[key] = `${u.label} – groupe ${g.name} : saisissez un nombre de places entier, au moins 1, ou laissez vide pour illimité`;
        else entries.push({ unitId: u.id, groupId: g.id, places: raw ? Number(raw) : null });
      }
    }
    if (hasErrors(errors)) return reply.page(CapacitiesPage({ ctx: req.pageCtx(), service, units, groups, errors, values }), 400);
    await catalogue.setCapacities(req.auth, service.id, entries);
    return reply.flash('Les capacités sont enregistrées.').seeOther(`${BASE}/prestations/${service.id}`);
  });

  // School years, calendar, periods

  app.get(`${BASE}/annees/nouvelle`, guarded, async (req, reply) => reply.page(YearFormPage({ ctx: req.pageCtx() })));
  app.post(`${BASE}/annees/nouvelle`, { onRequest: canManage, schema: { body: YearBody } }, async (req, reply) => {
    const form = parseForm(yearSchema, req.body);
    const result = form.ok ? asForm(await catalogue.createYear(req.auth, form.data)) : form;
    if (!result.ok) return reply.page(YearFormPage({ ctx: req.pageCtx(), errors: result.errors, values: form.values }), 400);
    return reply.flash(`L'année scolaire ${form.ok ? form.data.label : ''} est créée. Ajoutez ses périodes.`).seeOther(`${BASE}/annees/${result.value}`);
  });
  app.get(`${BASE}/annees/:id`, withId, async (req, reply) => reply.page(CalendarPage({ ctx: req.pageCtx(), ...(await catalogue.calendar(req.auth, req.params.id)) })));
  app.get(`${BASE}/annees/:id/modifier`, withId, async (req, reply) => {
    const y = await catalogue.year(req.auth, req.params.id);
    return reply.page(YearFormPage({ ctx: req.pageCtx(), id: y.id, values: { label: y.label, start: y.start_date, end: y.end_date } }));
  });
  app.post(`${BASE}/annees/:id/modifier`, post(YearBody), async (req, reply) => {
    const y = await catalogue.year(req.auth, req.params.id);
    const form = parseForm(yearSchema, req.body);
    const result = form.ok ? asForm(await catalogue.updateYear(req.auth, y.id, form.data)) : form;
    if (!result.ok) return reply.page(YearFormPage({ ctx: req.pageCtx(), id: y.id, errors: result.errors, values: form.values }), 400);
    return reply.flash('L\'année scolaire est enregistrée.').seeOther(`${BASE}/annees/${y.id}`);
  });

  app.get(`${BASE}/annees/:id/periodes/nouvelle`, withId, async (req, reply) => {
    const year = await catalogue.year(req.auth, req.params.id);
    return reply.page(PeriodFormPage({ ctx: req.pageCtx(), year, values: { allocation: 'fcfs', draw_mode: 'day' } }));
  });
  app.post(`${BASE}/annees/:id/periodes/nouvelle`, post(PeriodBody), async (req, reply) => {
    const year = await catalogue.year(req.auth, req.params.id);
    const form = parsePeriodForm(req.body);
    const result = form.ok ? asForm(await catalogue.createPeriod(req.auth, year.id, form.data), yearDetail(year)) : form;
    if (!result.ok) return reply.page(PeriodFormPage({ ctx: req.pageCtx(), year, errors: result.errors, values: formValues(req.body) }), 400);
    return reply.flash('La période est créée.').seeOther(`${BASE}/periodes/${result.value}`);
  });
  app.get(`${BASE}/periodes/:id`, withId, async (req, reply) => reply.page(PeriodPage({ ctx: req.pageCtx(), ...(await catalogue.period(req.auth, req.params.id)) })));
  app.get(`${BASE}/periodes/:id/modifier`, withId, async (req, reply) => {
    const { period: p, year } = await catalogue.period(req.auth, req.params.id);
    const opens = p.booking_opens_at ? instantToParis(p.booking_opens_at) : null;
    const close = p.requests_close_at ? instantToParis(p.requests_close_at) : null;
    const values: FormValues = { kind: p.kind, label: p.label, start: p.start_date, end: p.end_date, opens_date: opens?.day, opens_time: opens?.time, allocation: p.allocation, draw_mode: p.draw_mode, close_date: close?.day, close_time: close?.time };
    return reply.page(PeriodFormPage({ ctx: req.pageCtx(), year, id: p.id, values }));
  });
  app.post(`${BASE}/periodes/:id/modifier`, post(PeriodBody), async (req, reply) => {
    const { period: p, year } = await catalogue.period(req.auth, req.params.id);
    const form = parsePeriodForm(req.body);
    const result = form.ok ? asForm(await catalogue.updatePeriod(req.auth, p.id, form.data), yearDetail(year)) : form;
    if (!result.ok) return reply.page(PeriodFormPage({ ctx: req.pageCtx(), year, id: p.id, errors: result.errors, values: formValues(req.body) }), 400);
    return reply.flash('La période est enregistrée.').seeOther(`${BASE}/periodes/${p.id}`);
  });
  app.post(`${BASE}/periodes/:id/tirage`, post(EmptyBody), async (req, reply) => {
    const { id } = req.params;
    const result = await catalogue.draw(req.auth, id);
    if (!result.ok) return reply.page(PeriodPage({ ctx: req.pageCtx(), ...(await catalogue.period(req.auth, id)), error: DRAW_REFUSALS[result.code] }), 409);
    const { booked, waiting, households } = result.value;
    return reply
      .flash(`Tirage effectué : ${booked} place${booked > 1 ? 's' : ''} attribuée${booked > 1 ? 's' : ''}, ${waiting} demande${waiting > 1 ? 's' : ''} en liste d'attente. ${households} famille${households > 1 ? 's' : ''} prévenue${households > 1 ? 's' : ''} sur le portail et par courriel.`)
      .seeOther(`${BASE}/periodes/${id}`);
  });

  // Closing a day: form, « Vérifiez » page with what will be cancelled, then the closure itself.

  const closeForm = async (req: FastifyRequest, yearId: string, errors?: FieldErrors, values?: FormValues) => {
    const [year, choices] = await Promise.all([catalogue.year(req.auth, yearId), catalogue.closureChoices(req.auth)]);
    return CloseDayPage({ ctx: req.pageCtx(), year, ...choices, errors, values });
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
    return reply.page(CloseDayCheckPage({ ctx: req.pageCtx(), year: form.year, values: { day: d.day, facility: d.facilityId, service: d.serviceId ?? '', reason: d.reason }, ...preview.value }));
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
