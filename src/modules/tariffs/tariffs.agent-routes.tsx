import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app-type.ts';
import { formValues } from '../../platform/http/forms.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/http/input.ts';
import type { TariffsService } from './tariffs.service.ts';
import { parsePlaces, parseVersionForm, PlacesBody, VersionBody, versionToForm } from './tariffs.agent-forms.ts';
import { REFUSAL_FIELDS, TARIFF_REFUSALS } from './tariffs.outcomes.ts';
import { BASE, PlacesPage, TariffsPage, VersionFormPage } from './tariffs.agent-views.tsx';

/** Only the régie and administrators set tariffs: checked before the body is read, and again in the service. */
const canManage = (req: FastifyRequest): Promise<void> => Promise.resolve().then(() => assertRole(req.auth, 'admin', 'regie'));

/** Back office of the tariffs under /agent/tarifs (agents only, checked by the plugin; roles here and in the service). */
export function tariffsAgentRoutes(app: App, tariffs: TariffsService) {
  const guarded = { onRequest: canManage };
  const withId = { onRequest: canManage, schema: { params: idParams } };

  app.get(BASE, guarded, async (req, reply) => reply.page(TariffsPage({ ctx: req.pageCtx(), ...(await tariffs.overview(req.auth)) })));

  const newForm = async (req: FastifyRequest, values: Record<string, string | undefined>, errors?: Record<string, string>) => {
    const { targets, years } = await tariffs.choices();
    return VersionFormPage({ ctx: req.pageCtx(), action: `${BASE}/nouvelle`, targets, years, values, errors });
  };

  app.get(`${BASE}/nouvelle`, guarded, async (req, reply) => reply.page(await newForm(req, { default_category: 'repas' })));

  /** A new version from a date, its lines copied from an existing one (the way to change a locked tariff). */
  app.get(`${BASE}/versions/:id/copier`, withId, async (req, reply) => {
    const v = await tariffs.version(req.auth, req.params.id);
    return reply.page(await newForm(req, { ...versionToForm(v.version), target: v.target, school_year: v.schoolYearId }));
  });

  app.post(`${BASE}/nouvelle`, { onRequest: canManage, schema: { body: VersionBody } }, async (req, reply) => {
    const parsed = parseVersionForm(req.body, false);
    const result = parsed.ok ? await tariffs.createVersion(req.auth, parsed.data) : null;
    if (!parsed.ok || !result?.ok) {
      const errors = !parsed.ok ? parsed.errors : result && !result.ok ? { [REFUSAL_FIELDS[result.code]]: TARIFF_REFUSALS[result.code] } : {};
      return reply.page(await newForm(req, formValues(req.body), errors), 400);
    }
    return reply.flash('Le tarif est enregistré.').seeOther(BASE);
  });

  app.get(`${BASE}/versions/:id`, withId, async (req, reply) => {
    const v = await tariffs.version(req.auth, req.params.id);
    const errors = v.version.lockedAt ? { default_amount: TARIFF_REFUSALS.version_locked } : undefined;
    return reply.page(VersionFormPage({ ctx: req.pageCtx(), action: `${BASE}/versions/${v.version.id}`, existing: { label: v.label, appliesFrom: v.version.appliesFrom, yearLabel: v.yearLabel }, values: versionToForm(v.version), errors }));
  });

  app.post(`${BASE}/versions/:id`, { onRequest: canManage, schema: { params: idParams, body: VersionBody } }, async (req, reply) => {
    const v = await tariffs.version(req.auth, req.params.id);
    const page = (errors: Record<string, string>, status: number) =>
      reply.page(VersionFormPage({ ctx: req.pageCtx(), action: `${BASE}/versions/${v.version.id}`, existing: { label: v.label, appliesFrom: v.version.appliesFrom, yearLabel: v.yearLabel }, values: formValues(req.body), errors }), status);
    const parsed = parseVersionForm(req.body, true);
    if (!parsed.ok) return page(parsed.errors, 400);
    const result = await tariffs.updateVersion(req.auth, v.version.id, parsed.data);
    if (!result.ok) return page({ [REFUSAL_FIELDS[result.code]]: TARIFF_REFUSALS[result.code] }, 409);
    return reply.flash('Le tarif est enregistré.').seeOther(BASE);
  });

  app.get(`${BASE}/communes`, guarded, async (req, reply) => {
    const places = await tariffs.places(req.auth);
    return reply.page(PlacesPage({ ctx: req.pageCtx(), values: { places: places.map((p) => `${p.postcode} ${p.city}`).join('\n') } }));
  });
  app.post(`${BASE}/communes`, { onRequest: canManage, schema: { body: PlacesBody } }, async (req, reply) => {
    const parsed = parsePlaces(req.body.places ?? '');
    if (!parsed.ok) return reply.page(PlacesPage({ ctx: req.pageCtx(), values: formValues(req.body), errors: { places: parsed.error } }), 400);
    await tariffs.setPlaces(req.auth, parsed.places);
    return reply.flash('Les communes de résidence sont enregistrées.').seeOther(BASE);
  });
}
