import type { App } from '../../platform/http/app-type.ts';
import { familyActorOf } from '../../platform/http/actor.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { optionalText, parseForm, requiredText } from '../../platform/http/forms.ts';
import { requireFamily } from '../../platform/http/guards.ts';
import { isUuid } from '../../platform/ids.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { FieldErrors, FormValues } from '../../platform/ui/components.tsx';
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

const list = z.union([z.string(), z.array(z.string())]).optional().transform((r) => (Array.isArray(r) ? r : r ? [r] : []));

const pickupSchema = z
  .object({
    name: requiredText('Saisissez le prénom et le nom', 120),
    relation: z.string().refine((r) => (RELATIONS as readonly string[]).includes(r), 'Choisissez le lien avec l\'enfant'),
    phone: phoneField(true),
    roles: list,
  })
  .refine((p) => p.roles.length > 0, { path: ['roles'], message: 'Cochez au moins un rôle' });

/** Child fields shared by the family's request and the agent's direct entry. */
export function parseChildForm(body: unknown, today: string, lists: { schools: string[]; classLevels: string[] }) {
  const schema = z.object({
    first_name: requiredText('Saisissez le prénom', 80),
    last_name: requiredText('Saisissez le nom', 80),
    sex: z.enum(['F', 'M'], { error: 'Indiquez s\'il s\'agit d\'une fille ou d\'un garçon' }),
    school: z.string().optional().refine((s) => !s || lists.schools.includes(s), 'Choisissez une école de la liste'),
    class_level: z.string().optional().refine((s) => !s || lists.classLevels.includes(s), 'Choisissez une classe de la liste'),
  });
  const form = parseForm(schema, body);
  const b = (body ?? {}) as Record<string, string>;
  const birth = parseBirthDate(b.birth_date_jour ?? '', b.birth_date_mois ?? '', b.birth_date_annee ?? '', today);
  const errors: FieldErrors = form.ok ? {} : { ...form.errors };
  if ('error' in birth) errors.birth_date = birth.error;
  // Keep the fields in the order of the page for the error summary.
  const ordered: FieldErrors = {};
  for (const k of ['first_name', 'last_name', 'birth_date', 'sex', 'school', 'class_level']) if (errors[k]) ordered[k] = errors[k];
  if (!form.ok || 'error' in birth) return { ok: false as const, errors: ordered, values: form.values };
  return {
    ok: true as const,
    values: form.values,
    data: { first_name: form.data.first_name, last_name: form.data.last_name, birth_date: birth.date, sex: form.data.sex, school: form.data.school || null, class_level: form.data.class_level || null },
  };
}

/** The family space. The household comes from the session; ids in URLs are checked against it by the service. */
export function householdsFamilyRoutes(app: App, ctx: AppContext, family: FamilyService) {
  const today = () => ctx.clock.today();

  /** Pages that need a household: a guardian not yet linked goes back to the home page that explains it. */
  async function withFamily(req: FastifyRequest, reply: FastifyReply) {
    await requireFamily(req, reply);
    if (reply.sent) return;
    req.family = familyActorOf(req.auth!);
    if (!req.family) return reply.seeOther('/famille');
  }
  const f = (req: FastifyRequest) => req.family!;
  const childId = (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    if (!isUuid(id)) throw new NotFoundError();
    return id;
  };

  app.get('/famille', { preHandler: requireFamily }, async (req, reply) => {
    const actor = familyActorOf(req.auth!);
    const overview = actor ? await family.overview(actor) : null;
    return reply.page(v.FamilyHomePage({ ctx: req.pageCtx(), accountStatus: req.auth!.user.status, overview, today: today() }));
  });

  app.get('/famille/foyer', { preHandler: withFamily }, async (req, reply) => reply.page(v.HouseholdPage({ ctx: req.pageCtx(), ...(await family.overview(f(req))) })));

  app.get('/famille/adresse', { preHandler: withFamily }, async (req, reply) => reply.page(v.AddressPage({ ctx: req.pageCtx() })));
  app.post('/famille/adresse', { preHandler: withFamily }, async (req, reply) => {
    const form = parseForm(addressSchema, req.body);
    if (!form.ok) return reply.page(v.AddressPage({ ctx: req.pageCtx(), errors: form.errors, values: form.values }), 400);
    await family.requestAddressChange(f(req), { ...form.data, address_line2: form.data.address_line2 ?? null });
    return reply.flash('Votre nouvelle adresse est envoyée à la mairie. Elle s\'appliquera après vérification.').seeOther('/famille/foyer');
  });

  app.get('/famille/responsables/:id', { preHandler: withFamily }, async (req, reply) => {
    const g = await family.guardian(f(req), childId(req));
    return reply.page(v.ContactPage({ ctx: req.pageCtx(), personId: g.id, name: `${g.first_name} ${g.last_name}`, values: { phone: g.phone ?? '', email: g.email ?? '' } }));
  });
  app.post('/famille/responsables/:id', { preHandler: withFamily }, async (req, reply) => {
    const g = await family.guardian(f(req), childId(req));
    const form = parseForm(contactSchema, req.body);
    if (!form.ok) return reply.page(v.ContactPage({ ctx: req.pageCtx(), personId: g.id, name: `${g.first_name} ${g.last_name}`, errors: form.errors, values: form.values }), 400);
    await family.updateGuardianContact(f(req), g.id, { phone: form.data.phone || null, email: form.data.email || null });
    return reply.flash('Les coordonnées sont enregistrées.').seeOther('/famille/foyer');
  });

  app.get('/famille/enfants/ajouter', { preHandler: withFamily }, async (req, reply) => reply.page(v.AddChildPage({ ctx: req.pageCtx(), ...(await family.schoolLists()) })));
  app.post('/famille/enfants/ajouter', { preHandler: withFamily }, async (req, reply) => {
    const lists = await family.schoolLists();
    const form = parseChildForm(req.body, today(), lists);
    if (!form.ok) return reply.page(v.AddChildPage({ ctx: req.pageCtx(), ...lists, errors: form.errors, values: form.values }), 400);
    await family.requestNewChild(f(req), form.data);
    return reply.flash(`La demande d'ajout de ${form.data.first_name} est envoyée à la mairie. Vous serez prévenu quand elle sera validée.`).seeOther('/famille');
  });

  app.get('/famille/enfants/:id', { preHandler: withFamily }, async (req, reply) => reply.page(v.ChildPage({ ctx: req.pageCtx(), ...(await family.child(f(req), childId(req))) })));

  app.get('/famille/enfants/:id/sante', { preHandler: withFamily }, async (req, reply) => {
    const { child, health } = await family.child(f(req), childId(req));
    const values: FormValues = { diet: child.diet ?? 'standard', allergies: health.allergies, has_pai: String(health.has_pai), pai_description: health.pai_description, doctor_name: health.doctor_name, doctor_phone: health.doctor_phone };
    return reply.page(v.HealthPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name, values }));
  });
  app.post('/famille/enfants/:id/sante', { preHandler: withFamily }, async (req, reply) => {
    const { child } = await family.child(f(req), childId(req));
    const form = parseForm(healthSchema, req.body);
    if (!form.ok) return reply.page(v.HealthPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name, errors: form.errors, values: form.values }), 400);
    const d = form.data;
    await family.updateHealth(f(req), child.id, { diet: d.diet as never, allergies: d.allergies, has_pai: d.has_pai === '1', pai_description: d.pai_description, doctor_name: d.doctor_name, doctor_phone: d.doctor_phone });
    return reply.flash(`La fiche santé de ${child.first_name} est enregistrée.`).seeOther(`/famille/enfants/${child.id}`);
  });

  app.get('/famille/enfants/:id/autorisations', { preHandler: withFamily }, async (req, reply) => {
    const { child } = await family.child(f(req), childId(req));
    const selected = (['photo_allowed', 'may_leave_alone', 'transport_allowed'] as const).filter((k) => child[k] === 1);
    return reply.page(v.AuthorisationsPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name, selected }));
  });
  app.post('/famille/enfants/:id/autorisations', { preHandler: withFamily }, async (req, reply) => {
    const id = childId(req);
    const chosen = list.parse((req.body as { authorisations?: unknown }).authorisations);
    await family.updateAuthorisations(f(req), id, { photo_allowed: chosen.includes('photo_allowed'), may_leave_alone: chosen.includes('may_leave_alone'), transport_allowed: chosen.includes('transport_allowed') });
    return reply.flash('Les autorisations sont enregistrées.').seeOther(`/famille/enfants/${id}`);
  });

  app.get('/famille/enfants/:id/personnes/ajouter', { preHandler: withFamily }, async (req, reply) => {
    const { child } = await family.child(f(req), childId(req));
    return reply.page(v.PickupPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name }));
  });
  app.post('/famille/enfants/:id/personnes/ajouter', { preHandler: withFamily }, async (req, reply) => {
    const { child } = await family.child(f(req), childId(req));
    const form = parseForm(pickupSchema, req.body);
    if (!form.ok) {
      const roles = list.parse((req.body as { roles?: unknown }).roles).join(',');
      return reply.page(v.PickupPage({ ctx: req.pageCtx(), childId: child.id, name: child.first_name, errors: form.errors, values: { ...form.values, roles } }), 400);
    }
    const d = form.data;
    await family.addPickupPerson(f(req), child.id, { name: d.name, relation: d.relation, phone: d.phone, may_pick_up: d.roles.includes('may_pick_up'), emergency_contact: d.roles.includes('emergency_contact') });
    return reply.flash(`${d.name} est ajouté(e) aux personnes autorisées.`).seeOther(`/famille/enfants/${child.id}`);
  });
  app.post('/famille/enfants/:id/personnes/:pid/supprimer', { preHandler: withFamily }, async (req, reply) => {
    const id = childId(req);
    const pid = (req.params as { pid: string }).pid;
    if (!isUuid(pid)) throw new NotFoundError();
    await family.removePickupPerson(f(req), id, pid);
    return reply.flash('La personne est retirée de la liste.').seeOther(`/famille/enfants/${id}`);
  });

  app.get('/famille/historique', { preHandler: withFamily }, async (req, reply) => reply.page(v.HistoryPage({ ctx: req.pageCtx(), rows: await family.history(f(req)) })));
}
