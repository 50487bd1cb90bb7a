import type { App } from '../../platform/http/app-type.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { emailField, parseForm, requiredText } from '../../platform/http/forms.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { HouseholdsAgentService } from './households.agent-service.ts';
import { addressSchema, parseChildForm } from './households.family-routes.tsx';
import { isPhone, RELATIONS } from './households.domain.ts';
import * as v from './households.agent-views.tsx';

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
  source: z.enum(['attestation', 'agent'], { error: 'Choisissez la source' }),
  valid_until: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Saisissez une date valide')]).optional().transform((d) => d || null),
});

/** Back office for families (roles enfance and admin, checked in the service). */
export function householdsAgentRoutes(app: App, ctx: AppContext, households: HouseholdsAgentService) {
  const today = () => ctx.clock.today();
  const idOf = (req: FastifyRequest, key = 'id') => {
    const id = (req.params as Record<string, string>)[key];
    if (!isUuid(id)) throw new NotFoundError();
    return id;
  };
  const back = (id: string) => `/agent/foyers/${id}`;

  app.get('/agent/foyers', async (req, reply) => {
    const q = (req.query as { q?: string; archives?: string }) ?? {};
    const query = (q.q ?? '').slice(0, 100);
    households.assertCanManage(req.auth);
    const rows = query.trim() ? await households.search(req.auth, query, q.archives === '1') : null;
    return reply.page(v.SearchPage({ ctx: req.pageCtx(), q: query, archives: q.archives === '1', rows }));
  });

  app.get('/agent/foyers/nouveau', async (req, reply) => {
    households.assertCanManage(req.auth);
    return reply.page(v.NewHouseholdPage({ ctx: req.pageCtx(), values: { city: '' } }));
  });
  app.post('/agent/foyers/nouveau', async (req, reply) => {
    const form = parseForm(newHouseholdSchema, req.body);
    if (!form.ok) return reply.page(v.NewHouseholdPage({ ctx: req.pageCtx(), errors: form.errors, values: form.values }), 400);
    const d = form.data;
    const id = await households.create(req.auth, { address_line1: d.address_line1, address_line2: d.address_line2 ?? null, postcode: d.postcode, city: d.city }, d);
    return reply.flash('Le foyer est créé. Ajoutez les enfants, puis envoyez un code d\'activation au responsable.').seeOther(back(id));
  });

  app.get('/agent/foyers/:id', async (req, reply) => reply.page(v.HouseholdAgentPage({ ctx: req.pageCtx(), ...(await households.get(req.auth, idOf(req))) })));

  app.get('/agent/foyers/:id/adresse', async (req, reply) => {
    const { household: h } = await households.get(req.auth, idOf(req));
    return reply.page(v.EditAddressPage({ ctx: req.pageCtx(), id: h.id, values: { address_line1: h.address_line1, address_line2: h.address_line2 ?? '', postcode: h.postcode, city: h.city } }));
  });
  app.post('/agent/foyers/:id/adresse', async (req, reply) => {
    const id = idOf(req);
    const form = parseForm(addressSchema, req.body);
    if (!form.ok) return reply.page(v.EditAddressPage({ ctx: req.pageCtx(), id, errors: form.errors, values: form.values }), 400);
    await households.updateAddress(req.auth, id, { ...form.data, address_line2: form.data.address_line2 ?? null });
    return reply.flash('L\'adresse est enregistrée.').seeOther(back(id));
  });

  app.get('/agent/foyers/:id/responsables', async (req, reply) => {
    const { household: h } = await households.get(req.auth, idOf(req));
    return reply.page(v.AddGuardianPage({ ctx: req.pageCtx(), id: h.id }));
  });
  app.post('/agent/foyers/:id/responsables', async (req, reply) => {
    const id = idOf(req);
    const form = parseForm(guardianSchema, req.body);
    if (!form.ok) return reply.page(v.AddGuardianPage({ ctx: req.pageCtx(), id, errors: form.errors, values: form.values }), 400);
    await households.addGuardian(req.auth, id, form.data);
    return reply.flash(`${form.data.first_name} ${form.data.last_name} est ajouté(e) au foyer.`).seeOther(back(id));
  });
  app.post('/agent/foyers/:id/responsables/:pid/inviter', async (req, reply) => {
    const id = idOf(req);
    const result = await households.inviteGuardian(req.auth, id, idOf(req, 'pid'));
    if (!result.ok) return reply.flash(result.error).seeOther(back(id));
    if (result.channel === 'letter') return reply.flash('Compte créé sans adresse électronique : imprimez la lettre d\'activation.').seeOther(`/agent/invitations/${result.userId}`);
    return reply.flash('Le code d\'activation part par courriel.').seeOther(back(id));
  });
  app.post('/agent/foyers/:id/responsables/:pid/payeur', async (req, reply) => {
    const id = idOf(req);
    await households.setPayer(req.auth, id, idOf(req, 'pid'));
    return reply.flash('Le payeur du foyer est changé.').seeOther(back(id));
  });

  app.get('/agent/foyers/:id/enfants', async (req, reply) => {
    const { household: h } = await households.get(req.auth, idOf(req));
    return reply.page(v.AgentAddChildPage({ ctx: req.pageCtx(), id: h.id, ...(await households.schoolLists()) }));
  });
  app.post('/agent/foyers/:id/enfants', async (req, reply) => {
    const id = idOf(req);
    const lists = await households.schoolLists();
    const form = parseChildForm(req.body, today(), lists);
    if (!form.ok) return reply.page(v.AgentAddChildPage({ ctx: req.pageCtx(), id, ...lists, errors: form.errors, values: form.values }), 400);
    await households.addChild(req.auth, id, form.data);
    return reply.flash(`${form.data.first_name} est ajouté(e) au foyer.`).seeOther(back(id));
  });
  app.get('/agent/foyers/:id/enfants/:cid/sante', async (req, reply) => {
    const id = idOf(req);
    return reply.page(v.HealthRecordPage({ ctx: req.pageCtx(), householdId: id, ...(await households.readHealth(req.auth, id, idOf(req, 'cid'))) }));
  });

  app.get('/agent/foyers/:id/quotient', async (req, reply) => {
    const { household: h } = await households.get(req.auth, idOf(req));
    return reply.page(v.QuotientPage({ ctx: req.pageCtx(), id: h.id }));
  });
  app.post('/agent/foyers/:id/quotient', async (req, reply) => {
    const id = idOf(req);
    const form = parseForm(quotientSchema, req.body);
    if (!form.ok) return reply.page(v.QuotientPage({ ctx: req.pageCtx(), id, errors: form.errors, values: form.values }), 400);
    await households.addQuotient(req.auth, id, form.data);
    return reply.flash('Le quotient familial est enregistré.').seeOther(back(id));
  });

  app.get('/agent/foyers/:id/rattacher', async (req, reply) => {
    const { household: h } = await households.get(req.auth, idOf(req));
    return reply.page(v.LinkAccountPage({ ctx: req.pageCtx(), id: h.id }));
  });
  app.post('/agent/foyers/:id/rattacher', async (req, reply) => {
    const id = idOf(req);
    const form = parseForm(z.object({ email: emailField() }), req.body);
    if (!form.ok) return reply.page(v.LinkAccountPage({ ctx: req.pageCtx(), id, errors: form.errors, values: form.values }), 400);
    const result = await households.linkAccount(req.auth, id, form.data.email);
    if (!result.ok) return reply.page(v.LinkAccountPage({ ctx: req.pageCtx(), id, errors: { email: result.error }, values: form.values }), 400);
    return reply.flash('Le compte est rattaché : la famille est prévenue par courriel.').seeOther(back(id));
  });

  app.get('/agent/foyers/:id/fusionner', async (req, reply) => {
    const { household: h } = await households.get(req.auth, idOf(req));
    return reply.page(v.MergePage({ ctx: req.pageCtx(), id: h.id, reference: h.reference }));
  });
  app.post('/agent/foyers/:id/fusionner', async (req, reply) => {
    const id = idOf(req);
    const { household: h } = await households.get(req.auth, id);
    const form = parseForm(z.object({ reference: requiredText('Saisissez le numéro de l\'autre foyer', 20) }), req.body);
    if (!form.ok) return reply.page(v.MergePage({ ctx: req.pageCtx(), id, reference: h.reference, errors: form.errors, values: form.values }), 400);
    const result = await households.merge(req.auth, id, form.data.reference);
    if (!result.ok) return reply.page(v.MergePage({ ctx: req.pageCtx(), id, reference: h.reference, errors: { reference: result.error }, values: form.values }), 400);
    return reply.flash(`Le foyer ${result.sourceReference} est fusionné dans celui-ci.`).seeOther(back(id));
  });

  app.post('/agent/foyers/:id/archiver', async (req, reply) => {
    const id = idOf(req);
    await households.setArchived(req.auth, id, true);
    return reply.flash('Le foyer est archivé.').seeOther(back(id));
  });
  app.post('/agent/foyers/:id/reactiver', async (req, reply) => {
    const id = idOf(req);
    await households.setArchived(req.auth, id, false);
    return reply.flash('Le foyer est réactivé.').seeOther(back(id));
  });

  app.post('/agent/foyers/:id/accueil', async (req, reply) => {
    await households.startAssisted(req.auth, idOf(req));
    return reply.flash('Mode accueil : vous voyez l\'espace de la famille comme elle le voit. Chaque action est enregistrée à votre nom.').seeOther('/famille');
  });
  app.post('/agent/accueil/quitter', async (req, reply) => {
    const id = await households.stopAssisted(req.auth!);
    return reply.flash('Vous avez quitté le mode accueil.').seeOther(id ? back(id) : '/agent');
  });

  app.get('/agent/modifications', async (req, reply) => reply.page(v.PendingQueuePage({ ctx: req.pageCtx(), rows: await households.pendingQueue(req.auth) })));
  app.post('/agent/modifications/:id/valider', async (req, reply) => {
    const result = await households.decide(req.auth, idOf(req), 'accepted', null);
    return reply.flash(result.ok ? 'La modification est validée et appliquée.' : result.error).seeOther('/agent/modifications');
  });
  app.get('/agent/modifications/:id/refuser', async (req, reply) => {
    const id = idOf(req);
    const row = (await households.pendingQueue(req.auth)).find((r) => r.id === id);
    if (!row) throw new NotFoundError();
    return reply.page(v.RefusePage({ ctx: req.pageCtx(), changeId: id, summary: row.summary }));
  });
  app.post('/agent/modifications/:id/refuser', async (req, reply) => {
    const id = idOf(req);
    const reason = ((req.body as { reason?: string }).reason ?? '').trim().slice(0, 500);
    const result = await households.decide(req.auth, id, 'refused', reason);
    if (!result.ok) {
      const row = (await households.pendingQueue(req.auth)).find((r) => r.id === id);
      if (!row) return reply.flash(result.error).seeOther('/agent/modifications');
      return reply.page(v.RefusePage({ ctx: req.pageCtx(), changeId: id, summary: row.summary, errors: { reason: result.error } }), 400);
    }
    return reply.flash('La demande est refusée ; la famille voit le motif.').seeOther('/agent/modifications');
  });
}
