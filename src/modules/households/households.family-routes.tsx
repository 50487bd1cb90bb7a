import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import { familyActorOf, familyOf, requireHousehold, type FamilyActor } from '../../platform/http/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { formValues, optionalText, parseForm, requiredText } from '../../platform/http/forms.ts';
import { RESUMED_NOTICE, type FormResumer } from '../../platform/http/resume.ts';
import { form, idParams, list, text, uuid } from '../../platform/http/input.ts';
import type { FieldErrors, FormValues } from '../../platform/ui/components.tsx';
import { HOUSEHOLD_DONE } from './households.outcomes.ts';
import type { FamilyService } from './households.family-service.ts';
import { isDiet, isPhone, isPostcode, parseBirthDate, RELATIONS } from './households.domain.ts';
import * as v from './households.family-views.tsx';

const phoneField = (required: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((p) => (p ? p.replace(/[\s.-]/g, '') : ''))
    .refine((p) => (p ? isPhone(p) : !required), required ? 'Saisissez un numéro de téléphone français, par exemple 06 12 34 56 78' : 'Saisissez un numéro de téléphone français, par exemple 06 12 34 56 78');

export const addressSchema = z.object({
  address_line1: requiredText('Saisissez le numéro et la rue', 120),
  address_line2: optionalText(120),
  postcode: z.string().trim().refine(isPostcode, 'Saisissez un code postal à 5 chiffres, par exemple 62160'),
  city: requiredText('Saisissez la commune', 80),
});

const contactSchema = z.object({
  phone: phoneField(false),
  email: z.union([z.literal(''), z.string().trim().toLowerCase().email('Saisissez une adresse électronique valide, par exemple nom@exemple.fr')]).optional(),
});

const healthSchema = z.object({
  diet: z.string().refine(isDiet, 'Choisissez un régime alimentaire'),
  allergies: z.string().trim().max(1000, '1000 caractères au maximum').default(''),
  has_pai: z.enum(['0', '1'], { error: 'Indiquez si votre enfant a un PAI' }),
  pai_description: z.string().trim().max(1000, '1000 caractères au maximum').default(''),
  doctor_name: z.string().trim().max(120).default(''),
  doctor_phone: phoneField(false),
});

const pickupSchema = z
  .object({
    name: requiredText('Saisissez le prénom et le nom', 120),
    relation: z.string().refine((r) => (RELATIONS as readonly string[]).includes(r), 'Choisissez le lien avec l\'enfant'),
    phone: phoneField(true),
    roles: list(2, z.string().max(50)),
  })
  .refine((p) => p.roles.length > 0, { path: ['roles'], message: 'Cochez au moins un rôle' });

// Structural route schemas: shapes and bounds (a field sent twice, e.g. birth_date_jour, is a 400).

/** The fields of a new child, for the family's request and the agent's direct entry. */
export const ChildBody = form({
  first_name: text(500).optional(),
  last_name: text(500).optional(),
  birth_date_jour: text(20).optional(),
  birth_date_mois: text(20).optional(),
  birth_date_annee: text(20).optional(),
  sex: text(10).optional(),
  school: text(200).optional(),
  class_level: text(200).optional(),
});
const AddressBody = form({ address_line1: text(500).optional(), address_line2: text(500).optional(), postcode: text(50).optional(), city: text(500).optional() });
const ContactBody = form({ phone: text(100).optional(), email: text(500).optional() });
const HealthBody = form({ diet: text(50).optional(), allergies: text(5000).optional(), has_pai: text(5).optional(), pai_description: text(5000).optional(), doctor_name: text(500).optional(), doctor_phone: text(100).optional() });
const AuthorisationsBody = form({ authorisations: list(3, z.string().max(50)) });
const PickupBody = form({ name: text(500).optional(), relation: text(100).optional(), phone: text(100).optional(), roles: list(2, z.string().max(50)) });
const Empty = form({});
const RecapBody = form({ recapitulatif: z.literal('oui').optional() });
const PickupParams = z.object({ id: uuid, pid: uuid });

/** Child fields shared by the family's request and the agent's direct entry. */
export function parseChildForm(body: z.infer<typeof ChildBody>, today: string, lists: { schools: string[]; classLevels: string[] }) {
  const schema = z.object({
    first_name: requiredText('Saisissez le prénom', 80),
    last_name: requiredText('Saisissez le nom', 80),
    sex: z.enum(['F', 'M'], { error: 'Indiquez s\'il s\'agit d\'une fille ou d\'un garçon' }),
    school: z.string().optional().refine((s) => !s || lists.schools.includes(s), 'Choisissez une école de la liste'),
    class_level: z.string().optional().refine((s) => !s || lists.classLevels.includes(s), 'Choisissez une classe de la liste'),
  });
  const f = parseForm(schema, body);
  const birth = parseBirthDate(body.birth_date_jour ?? '', body.birth_date_mois ?? '', body.birth_date_annee ?? '', today);
  const errors: FieldErrors = f.ok ? {} : { ...f.errors };
  if ('error' in birth) errors.birth_date = birth.error;
  // Keep the fields in the order of the page for the error summary.
  const ordered: FieldErrors = {};
  for (const k of ['first_name', 'last_name', 'birth_date', 'sex', 'school', 'class_level']) if (errors[k]) ordered[k] = errors[k];
  if (!f.ok || 'error' in birth) return { ok: false as const, errors: ordered, values: f.values };
  return {
    ok: true as const,
    values: f.values,
    data: { first_name: f.data.first_name, last_name: f.data.last_name, birth_date: birth.date, sex: f.data.sex, school: f.data.school || null, class_level: f.data.class_level || null },
  };
}

/**
 * The family space. The household comes from the session (requireHousehold in onRequest, then
 * familyOf); ids in URLs are checked against it by the service, so another household's id is a 404.
 */
export function householdsFamilyRoutes(app: App, ctx: AppContext, family: FamilyService) {
  const today = () => ctx.clock.today();
  const guarded = { onRequest: requireHousehold };

  // The home page (`/famille`) is the home module's: it gathers what every module has for the family.

  // A form posted just after the session expired (platform/http/resume.ts) comes back after the
  // login as the person left it, with a word to check it and send it again.
  const resumed = (req: FastifyRequest, fields: Parameters<FormResumer['resume']>[2]['fields']) => ({ ctx: { ...req.pageCtx(), notice: RESUMED_NOTICE }, values: formValues(fields) });
  const idIn = (path: string) => uuid.safeParse(path.split('/')[3]).data;
  const resumeAs = (route: string, draw: (req: FastifyRequest, actor: FamilyActor, page: ReturnType<typeof resumed>, path: string) => Promise<ReturnType<typeof v.AddressPage>>) =>
    app.resumableForms.set(route, {
      back: (_fields, path) => path,
      async resume(req, reply, saved) {
        const actor = req.auth && familyActorOf(req.auth);
        if (!actor) return reply.seeOther('/tableau');
        return reply.page(await draw(req, actor, resumed(req, saved.fields), saved.back));
      },
    });
  resumeAs('/famille/adresse', (_req, _actor, page) => Promise.resolve(v.AddressPage(page)));
  resumeAs('/famille/responsables/:id', async (_req, actor, page, path) => {
    const g = await family.guardian(actor, idIn(path) ?? '');
    return v.ContactPage({ ...page, personId: g.id, name: `${g.first_name} ${g.last_name}` });
  });
  resumeAs('/famille/enfants/:id/sante', async (_req, actor, page, path) => {
    const { child } = await family.child(actor, idIn(path) ?? '');
    return v.HealthPage({ ...page, childId: child.id, name: child.first_name });
  });

  app.get('/famille/foyer', guarded, async (req, reply) => reply.page(v.HouseholdPage({ ctx: req.pageCtx(), ...(await family.householdPage(familyOf(req))) })));

  app.get('/famille/adresse', guarded, async (req, reply) => reply.page(v.AddressPage({ ctx: req.pageCtx() })));
  app.post('/famille/adresse', { ...guarded, schema: { body: AddressBody } }, async (req, reply) => {
    const f = parseForm(addressSchema, req.body);
    if (!f.ok) return reply.page(v.AddressPage({ ctx: req.pageCtx(), errors: f.errors, values: f.values }), 400);
    await family.requestAddressChange(familyOf(req), { ...f.data, address_line2: f.data.address_line2 ?? null });
    return reply.flash(HOUSEHOLD_DONE.address_requested).seeOther('/famille/foyer');
  });

  app.post('/famille/recapitulatif-reservations', { ...guarded, schema: { body: RecapBody } }, async (req, reply) => {
    const on = req.body.recapitulatif === 'oui';
    await family.setBookingRecap(familyOf(req), on);
    return reply.flash(on ? HOUSEHOLD_DONE.recap_on : HOUSEHOLD_DONE.recap_off).seeOther('/famille/foyer');
  });

  app.get('/famille/responsables/:id', { ...guarded, schema: { params: idParams } }, async (req, reply) => {
    const g = await family.guardian(familyOf(req), req.params.id);
    return reply.page(v.ContactPage({ ctx: req.pageCtx(), personId: g.id, name: `${g.first_name} ${g.last_name}`, values: { phone: g.phone ?? '', email: g.email ?? '' } }));
  });
  app.post('/famille/responsables/:id', { ...guarded, schema: { params: idParams, body: ContactBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const g = await family.guardian(actor, req.params.id);
    const f = parseForm(contactSchema, req.body);
    if (!f.ok) return reply.page(v.ContactPage({ ctx: req.pageCtx(), personId: g.id, name: `${g.first_name} ${g.last_name}`, errors: f.errors, values: f.values }), 400);
    await family.updateGuardianContact(actor, g.id, { phone: f.data.phone || null, email: f.data.email || null });
    return reply.flash(HOUSEHOLD_DONE.contact_saved).seeOther('/famille/foyer');
  });

  app.get('/famille/enfants/ajouter', guarded, async (req, reply) => reply.page(v.AddChildPage({ ctx: req.pageCtx(), ...(await family.schoolLists()) })));
  app.post('/famille/enfants/ajouter', { ...guarded, schema: { body: ChildBody } }, async (req, reply) => {
    const lists = await family.schoolLists();
    const f = parseChildForm(req.body, today(), lists);
    if (!f.ok) return reply.page(v.AddChildPage({ ctx: req.pageCtx(), ...lists, errors: f.errors, values: f.values }), 400);
    await family.requestNewChild(familyOf(req), f.data);
    return reply.flash(`La demande d'ajout de ${f.data.first_name} est envoyée à la mairie. Vous serez prévenu quand elle sera validée.`).seeOther('/famille');
  });

  app.get('/famille/enfants/:id', { ...guarded, schema: { params: idParams } }, async (req, reply) => reply.page(v.ChildPage({ ctx: req.pageCtx(), ...(await family.child(familyOf(req), req.params.id)) })));

  app.get('/famille/enfants/:id/sante', { ...guarded, schema: { params: idParams } }, async (req, reply) => {
    const { child, health } = await family.child(familyOf(req), req.params.id);
    const values: FormValues = { diet: child.diet ?? 'standard', allergies: health.allergies, has_pai: String(health.has_pai), pai_description: health.pai_description, doctor_name: health.doctor_name, doctor_phone: health.doctor_phone };
    return reply.page(v.HealthPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name, values }));
  });
  app.post('/famille/enfants/:id/sante', { ...guarded, schema: { params: idParams, body: HealthBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const { child } = await family.child(actor, req.params.id);
    const f = parseForm(healthSchema, req.body);
    if (!f.ok) return reply.page(v.HealthPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name, errors: f.errors, values: f.values }), 400);
    const d = f.data;
    await family.updateHealth(actor, child.id, { diet: d.diet, allergies: d.allergies, has_pai: d.has_pai === '1', pai_description: d.pai_description, doctor_name: d.doctor_name, doctor_phone: d.doctor_phone });
    return reply.flash(`La fiche santé de ${child.first_name} est enregistrée.`).seeOther(`/famille/enfants/${child.id}`);
  });

  app.get('/famille/enfants/:id/autorisations', { ...guarded, schema: { params: idParams } }, async (req, reply) => {
    const { child } = await family.child(familyOf(req), req.params.id);
    const selected = (['photo_allowed', 'may_leave_alone', 'transport_allowed'] as const).filter((k) => child[k] === 1);
    return reply.page(v.AuthorisationsPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name, selected }));
  });
  app.post('/famille/enfants/:id/autorisations', { ...guarded, schema: { params: idParams, body: AuthorisationsBody } }, async (req, reply) => {
    const { id } = req.params;
    const chosen = req.body.authorisations;
    await family.updateAuthorisations(familyOf(req), id, { photo_allowed: chosen.includes('photo_allowed'), may_leave_alone: chosen.includes('may_leave_alone'), transport_allowed: chosen.includes('transport_allowed') });
    return reply.flash(HOUSEHOLD_DONE.authorisations_saved).seeOther(`/famille/enfants/${id}`);
  });

  app.get('/famille/enfants/:id/personnes/ajouter', { ...guarded, schema: { params: idParams } }, async (req, reply) => {
    const { child } = await family.child(familyOf(req), req.params.id);
    return reply.page(v.PickupPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name }));
  });
  app.post('/famille/enfants/:id/personnes/ajouter', { ...guarded, schema: { params: idParams, body: PickupBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const { child } = await family.child(actor, req.params.id);
    const f = parseForm(pickupSchema, req.body);
    if (!f.ok) return reply.page(v.PickupPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name, errors: f.errors, values: { ...f.values, roles: req.body.roles.join(',') } }), 400);
    const d = f.data;
    await family.addPickupPerson(actor, child.id, { name: d.name, relation: d.relation, phone: d.phone, may_pick_up: d.roles.includes('may_pick_up'), emergency_contact: d.roles.includes('emergency_contact') });
    return reply.flash(`${d.name} fait maintenant partie des personnes autorisées.`).seeOther(`/famille/enfants/${child.id}`);
  });
  app.post('/famille/enfants/:id/personnes/:pid/supprimer', { ...guarded, schema: { params: PickupParams, body: Empty } }, async (req, reply) => {
    const { id, pid } = req.params;
    await family.removePickupPerson(familyOf(req), id, pid);
    return reply.flash(HOUSEHOLD_DONE.pickup_removed).seeOther(`/famille/enfants/${id}`);
  });

  app.get('/famille/historique', guarded, async (req, reply) => reply.page(v.HistoryPage({ ctx: req.pageCtx(), rows: await family.history(familyOf(req)) })));
}
