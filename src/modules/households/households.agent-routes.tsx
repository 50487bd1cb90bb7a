import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { emailField, parseForm, requiredText } from '../../platform/http/forms.ts';
import { form, idParams, text, uuid } from '../../platform/http/input.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { HouseholdsAgentService } from './households.agent-service.ts';
import { addressSchema, ChildBody, parseChildForm } from './households.family-routes.tsx';
import { isPhone, RELATIONS } from './households.domain.ts';
import { HOUSEHOLD_DONE, HOUSEHOLD_OUTCOMES } from './households.outcomes.ts';
import * as v from './households.agent-views.tsx';

// Person-facing schemas (parseForm): their messages are shown next to the fields.

const guardianSchema = z.object({
  first_name: requiredText('Saisissez le prénom du responsable', 80),
  last_name: requiredText('Saisissez le nom du responsable', 80),
  relationship: z.string().optional().refine((r) => !r || (RELATIONS as readonly string[]).includes(r), 'Choisissez un lien de la liste').transform((r) => r || null),
  email: z.union([z.literal('').transform(() => null), emailField()]).optional().transform((e) => e ?? null),
  phone: z
    .string()
    .trim()
    .optional()
    .transform((p) => (p ? p.replace(/[\s.-]/g, '') : null))
    .refine((p) => !p || isPhone(p), 'Saisissez un numéro de téléphone français, par exemple 06 12 34 56 78'),
});
const newHouseholdSchema = addressSchema.extend(guardianSchema.shape);

const quotientSchema = z.object({
  value_eur: z.string().trim().regex(/^\d{1,5}$/, 'Saisissez le quotient en euros, un nombre entier, par exemple 742').transform(Number),
  reference_month: z.string().trim().regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'Saisissez le mois au format AAAA-MM, par exemple 2026-09'),
  source: z.enum(['caf', 'msa', 'agent'], { error: 'Choisissez la source' }),
  reason: z.string().trim().min(1, 'Dites pourquoi vous enregistrez ce quotient, par exemple « attestation CAF de septembre »').max(500, '500 caractères au maximum'),
  valid_until: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Saisissez une date valide')]).optional().transform((d) => d || null),
});
const refuseSchema = z.object({ reason: z.string().trim().max(500, '500 caractères au maximum').default('') });

// Structural route schemas: shapes and bounds; a field sent twice or an unknown id never reaches a handler.

const AddressBody = form({ address_line1: text(500).optional(), address_line2: text(500).optional(), postcode: text(50).optional(), city: text(500).optional() });
const GuardianBody = form({ first_name: text(500).optional(), last_name: text(500).optional(), relationship: text(100).optional(), email: text(500).optional(), phone: text(100).optional() });
const NewHouseholdBody = AddressBody.extend(GuardianBody.shape);
const QuotientBody = form({ value_eur: text(50).optional(), reference_month: text(50).optional(), source: text(50).optional(), reason: text(1000).optional(), valid_until: text(50).optional() });
const EmailBody = form({ email: text(500).optional() });
const MergeBody = form({ reference: text(100).optional() });
const ReasonBody = form({ reason: text(5000).optional() });
const Empty = form({});
const SearchQuery = z.object({ q: text(500).optional(), archives: text(10).optional() });
const PersonParams = z.object({ id: uuid, pid: uuid });
const ChildParams = z.object({ id: uuid, cid: uuid });

/** Back office for families (roles enfance and admin, checked in the service; the agent guard runs in onRequest for the whole scope). */
export function householdsAgentRoutes(app: App, ctx: AppContext, households: HouseholdsAgentService) {
  const today = () => ctx.clock.today();
  const back = (id: string) => `/agent/foyers/${id}`;

  app.get('/agent/foyers', { schema: { querystring: SearchQuery } }, async (req, reply) => {
    const query = (req.query.q ?? '').slice(0, 100);
    const archives = req.query.archives === '1';
    households.assertCanManage(req.auth);
    const rows = query.trim() ? await households.search(req.auth, query, archives) : null;
    return reply.page(v.SearchPage({ ctx: req.pageCtx(), q: query, archives, rows }));
  });

  app.get('/agent/foyers/nouveau', async (req, reply) => {
    households.assertCanManage(req.auth);
    return reply.page(v.NewHouseholdPage({ ctx: req.pageCtx(), values: { city: '' } }));
  });
  app.post('/agent/foyers/nouveau', { schema: { body: NewHouseholdBody } }, async (req, reply) => {
    households.assertCanManage(req.auth);
    const f = parseForm(newHouseholdSchema, req.body);
    if (!f.ok) return reply.page(v.NewHouseholdPage({ ctx: req.pageCtx(), errors: f.errors, values: f.values }), 400);
    const d = f.data;
    const id = await households.create(req.auth, { address_line1: d.address_line1, address_line2: d.address_line2 ?? null, postcode: d.postcode, city: d.city }, d);
    return reply.flash(HOUSEHOLD_DONE.created).seeOther(back(id));
  });

  // The household page: contacts, pickup phone numbers and health flags; each view is an audited read.
  app.get('/agent/foyers/:id', { schema: { params: idParams } }, async (req, reply) => reply.page(v.HouseholdAgentPage({ ctx: req.pageCtx(), ...(await households.view(req.auth, req.params.id)) })));

  app.get('/agent/foyers/:id/adresse', { schema: { params: idParams } }, async (req, reply) => {
    const { household: h } = await households.get(req.auth, req.params.id);
    return reply.page(v.EditAddressPage({ ctx: req.pageCtx(), id: h.id, values: { address_line1: h.address_line1, address_line2: h.address_line2 ?? '', postcode: h.postcode, city: h.city } }));
  });
  app.post('/agent/foyers/:id/adresse', { schema: { params: idParams, body: AddressBody } }, async (req, reply) => {
    const { id } = req.params;
    households.assertCanManage(req.auth);
    const f = parseForm(addressSchema, req.body);
    if (!f.ok) return reply.page(v.EditAddressPage({ ctx: req.pageCtx(), id, errors: f.errors, values: f.values }), 400);
    await households.updateAddress(req.auth, id, { ...f.data, address_line2: f.data.address_line2 ?? null });
    return reply.flash(HOUSEHOLD_DONE.address_saved).seeOther(back(id));
  });

  app.get('/agent/foyers/:id/responsables', { schema: { params: idParams } }, async (req, reply) => {
    const { household: h } = await households.get(req.auth, req.params.id);
    return reply.page(v.AddGuardianPage({ ctx: req.pageCtx(), id: h.id }));
  });
  app.post('/agent/foyers/:id/responsables', { schema: { params: idParams, body: GuardianBody } }, async (req, reply) => {
    const { id } = req.params;
    households.assertCanManage(req.auth);
    const f = parseForm(guardianSchema, req.body);
    if (!f.ok) return reply.page(v.AddGuardianPage({ ctx: req.pageCtx(), id, errors: f.errors, values: f.values }), 400);
    await households.addGuardian(req.auth, id, f.data);
    return reply.flash(`${f.data.first_name} ${f.data.last_name} fait maintenant partie du foyer.`).seeOther(back(id));
  });
  app.post('/agent/foyers/:id/responsables/:pid/inviter', { schema: { params: PersonParams, body: Empty } }, async (req, reply) => {
    const { id, pid } = req.params;
    const result = await households.inviteGuardian(req.auth, id, pid);
    if (!result.ok) return reply.flash(HOUSEHOLD_OUTCOMES[result.reason]).seeOther(back(id));
    if (result.channel === 'letter') return reply.flash(HOUSEHOLD_DONE.invited_by_letter).seeOther(`/agent/invitations/${result.userId}`);
    return reply.flash(HOUSEHOLD_DONE.invited_by_email).seeOther(back(id));
  });
  app.post('/agent/foyers/:id/responsables/:pid/payeur', { schema: { params: PersonParams, body: Empty } }, async (req, reply) => {
    const { id, pid } = req.params;
    await households.setPayer(req.auth, id, pid);
    return reply.flash(HOUSEHOLD_DONE.payer_changed).seeOther(back(id));
  });

  app.get('/agent/foyers/:id/enfants', { schema: { params: idParams } }, async (req, reply) => {
    const { household: h } = await households.get(req.auth, req.params.id);
    return reply.page(v.AgentAddChildPage({ ctx: req.pageCtx(), id: h.id, ...(await households.schoolLists()) }));
  });
  app.post('/agent/foyers/:id/enfants', { schema: { params: idParams, body: ChildBody } }, async (req, reply) => {
    const { id } = req.params;
    households.assertCanManage(req.auth);
    const lists = await households.schoolLists();
    const f = parseChildForm(req.body, today(), lists);
    if (!f.ok) return reply.page(v.AgentAddChildPage({ ctx: req.pageCtx(), id, ...lists, errors: f.errors, values: f.values }), 400);
    await households.addChild(req.auth, id, f.data);
    return reply.flash(`${f.data.first_name} fait maintenant partie du foyer.`).seeOther(back(id));
  });
  app.get('/agent/foyers/:id/enfants/:cid/sante', { schema: { params: ChildParams } }, async (req, reply) => {
    const { id, cid } = req.params;
    return reply.page(v.HealthRecordPage({ ctx: req.pageCtx(), householdId: id, ...(await households.readHealth(req.auth, id, cid)) }));
  });

  app.get('/agent/foyers/:id/quotient', { schema: { params: idParams } }, async (req, reply) => {
    const { household: h } = await households.get(req.auth, req.params.id);
    return reply.page(v.QuotientPage({ ctx: req.pageCtx(), id: h.id }));
  });
  app.post('/agent/foyers/:id/quotient', { schema: { params: idParams, body: QuotientBody } }, async (req, reply) => {
    const { id } = req.params;
    households.assertCanManage(req.auth);
    const f = parseForm(quotientSchema, req.body);
    if (!f.ok) return reply.page(v.QuotientPage({ ctx: req.pageCtx(), id, errors: f.errors, values: f.values }), 400);
    await households.addQuotient(req.auth, id, f.data);
    return reply.flash(HOUSEHOLD_DONE.quotient_saved).seeOther(back(id));
  });

  app.get('/agent/foyers/:id/rattacher', { schema: { params: idParams } }, async (req, reply) => {
    const { household: h } = await households.get(req.auth, req.params.id);
    return reply.page(v.LinkAccountPage({ ctx: req.pageCtx(), id: h.id }));
  });
  app.post('/agent/foyers/:id/rattacher', { schema: { params: idParams, body: EmailBody } }, async (req, reply) => {
    const { id } = req.params;
    households.assertCanManage(req.auth);
    const f = parseForm(z.object({ email: emailField() }), req.body);
    if (!f.ok) return reply.page(v.LinkAccountPage({ ctx: req.pageCtx(), id, errors: f.errors, values: f.values }), 400);
    const result = await households.linkAccount(req.auth, id, f.data.email);
    if (!result.ok) return reply.page(v.LinkAccountPage({ ctx: req.pageCtx(), id, errors: { email: HOUSEHOLD_OUTCOMES[result.code] }, values: f.values }), 400);
    return reply.flash(HOUSEHOLD_DONE.account_linked).seeOther(back(id));
  });

  app.get('/agent/foyers/:id/fusionner', { schema: { params: idParams } }, async (req, reply) => {
    const { household: h } = await households.get(req.auth, req.params.id);
    return reply.page(v.MergePage({ ctx: req.pageCtx(), id: h.id, reference: h.reference }));
  });
  app.post('/agent/foyers/:id/fusionner', { schema: { params: idParams, body: MergeBody } }, async (req, reply) => {
    const { id } = req.params;
    const { household: h } = await households.get(req.auth, id);
    const f = parseForm(z.object({ reference: requiredText('Saisissez le numéro de l\'autre foyer', 20) }), req.body);
    if (!f.ok) return reply.page(v.MergePage({ ctx: req.pageCtx(), id, reference: h.reference, errors: f.errors, values: f.values }), 400);
    const result = await households.merge(req.auth, id, f.data.reference);
    if (!result.ok) return reply.page(v.MergePage({ ctx: req.pageCtx(), id, reference: h.reference, errors: { reference: HOUSEHOLD_OUTCOMES[result.code] }, values: f.values }), 400);
    return reply.flash(`Le foyer ${result.value.sourceReference} est fusionné dans celui-ci.`).seeOther(back(id));
  });

  app.post('/agent/foyers/:id/archiver', { schema: { params: idParams, body: Empty } }, async (req, reply) => {
    const { id } = req.params;
    await households.setArchived(req.auth, id, true);
    return reply.flash(HOUSEHOLD_DONE.archived).seeOther(back(id));
  });
  app.post('/agent/foyers/:id/reactiver', { schema: { params: idParams, body: Empty } }, async (req, reply) => {
    const { id } = req.params;
    await households.setArchived(req.auth, id, false);
    return reply.flash(HOUSEHOLD_DONE.unarchived).seeOther(back(id));
  });

  app.post('/agent/foyers/:id/accueil', { schema: { params: idParams, body: Empty } }, async (req, reply) => {
    await households.startAssisted(req.auth, req.params.id);
    return reply.flash(HOUSEHOLD_DONE.assisted_started).seeOther('/famille');
  });
  app.post('/agent/accueil/quitter', { schema: { body: Empty } }, async (req, reply) => {
    // The agent guard of this scope ran in onRequest: a session is there.
    const auth = req.auth;
    if (!auth) return reply.seeOther('/connexion');
    const id = await households.stopAssisted(auth);
    return reply.flash(HOUSEHOLD_DONE.assisted_ended).seeOther(id ? back(id) : '/agent');
  });

  app.get('/agent/modifications', async (req, reply) => reply.page(v.PendingQueuePage({ ctx: req.pageCtx(), rows: await households.pendingQueue(req.auth) })));
  app.post('/agent/modifications/:id/valider', { schema: { params: idParams, body: Empty } }, async (req, reply) => {
    const result = await households.decide(req.auth, req.params.id, 'accepted', null);
    return reply.flash(result.ok ? HOUSEHOLD_DONE.change_accepted : HOUSEHOLD_OUTCOMES[result.code]).seeOther('/agent/modifications');
  });
  app.get('/agent/modifications/:id/refuser', { schema: { params: idParams } }, async (req, reply) => {
    const { id } = req.params;
    const row = (await households.pendingQueue(req.auth)).find((r) => r.id === id);
    if (!row) throw new NotFoundError();
    return reply.page(v.RefusePage({ ctx: req.pageCtx(), changeId: id, summary: row.summary }));
  });
  app.post('/agent/modifications/:id/refuser', { schema: { params: idParams, body: ReasonBody } }, async (req, reply) => {
    const { id } = req.params;
    const queue = await households.pendingQueue(req.auth);
    const row = queue.find((r) => r.id === id);
    const f = parseForm(refuseSchema, req.body);
    if (!f.ok) {
      if (!row) throw new NotFoundError();
      return reply.page(v.RefusePage({ ctx: req.pageCtx(), changeId: id, summary: row.summary, errors: f.errors }), 400);
    }
    const result = await households.decide(req.auth, id, 'refused', f.data.reason);
    if (!result.ok) {
      if (!row) return reply.flash(HOUSEHOLD_OUTCOMES[result.code]).seeOther('/agent/modifications');
      return reply.page(v.RefusePage({ ctx: req.pageCtx(), changeId: id, summary: row.summary, errors: { reason: HOUSEHOLD_OUTCOMES[result.code] } }), 400);
    }
    return reply.flash(HOUSEHOLD_DONE.change_refused).seeOther('/agent/modifications');
  });
}
