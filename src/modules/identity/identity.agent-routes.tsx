import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { emailField, parseForm, requiredText } from '../../platform/http/forms.ts';
import { form, idParams, list, text } from '../../platform/http/input.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { AGENT_ROLES } from '../../platform/http/auth-types.ts';
import type { IdentityService } from './identity.service.ts';
import { IDENTITY_NOTICES } from './identity.outcomes.ts';
import { activationLetters } from './identity.letter.ts';
import * as v from './identity.agent-views.tsx';

const optionalEmail = z.union([z.literal('').transform(() => undefined), emailField()]).optional();
const inviteSchema = z.object({
  first_name: requiredText('Saisissez le prénom', 80),
  last_name: requiredText('Saisissez le nom', 80),
  email: optionalEmail,
});
const rolesField = z.array(z.enum(AGENT_ROLES)).min(1, 'Choisissez au moins un rôle');
const agentSchema = z.object({
  first_name: requiredText('Saisissez le prénom', 80),
  last_name: requiredText('Saisissez le nom', 80),
  email: emailField(),
  roles: rolesField,
});
const agentUpdateSchema = z.object({ roles: rolesField, disabled: z.string().optional() });

// Structural route schemas (bounds only; the wording above is what a person reads).
const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).optional() });
const InviteBody = form({ first_name: text(1000).optional(), last_name: text(1000).optional(), email: text(1000).optional() });
const roles = list(AGENT_ROLES.length, text(40));
const AgentBody = form({ first_name: text(1000).optional(), last_name: text(1000).optional(), email: text(1000).optional(), roles });
const AgentUpdateBody = form({ roles, disabled: text(5).optional() });
const EmptyBody = form({}).optional();

/** Back office: invitations of guardians, and (admin) the agents' accounts. Roles are checked in the service. */
export function identityAgentRoutes(app: App, ctx: AppContext, identity: IdentityService) {
  app.get('/agent/invitations', { schema: { querystring: PageQuery } }, async (req, reply) => {
    const page = req.query.page ?? 1;
    const list = await identity.listInvitations(req.auth, page);
    return reply.page(v.InvitationsPage({ ctx: req.pageCtx(), ...list, page, now: ctx.clock.now() }));
  });

  app.post('/agent/invitations', { schema: { body: InviteBody } }, async (req, reply) => {
    const f = parseForm(inviteSchema, req.body);
    const again = async (errors: Record<string, string>) => {
      const list = await identity.listInvitations(req.auth, 1);
      return reply.page(v.InvitationsPage({ ctx: req.pageCtx(), ...list, page: 1, now: ctx.clock.now(), errors, values: f.values }), 400);
    };
    if (!f.ok) return again(f.errors);
    const result = await identity.invite(req.auth, { firstName: f.data.first_name, lastName: f.data.last_name, email: f.data.email });
    if (!result.ok) return again(result.errors);
    const who = `${f.data.first_name} ${f.data.last_name}`;
    return reply
      .flash(result.value.channel === 'email' ? `Compte créé : le code d'activation part par courriel à ${f.data.email}.` : `Compte créé pour ${who}. Imprimez maintenant la lettre d'activation.`)
      .seeOther(`/agent/invitations/${result.value.userId}`);
  });

  app.get('/agent/invitations/:id', { schema: { params: idParams } }, async (req, reply) => {
    const user = await identity.getGuardianAccount(req.auth, req.params.id);
    if (!user) throw new NotFoundError();
    return reply.page(v.InvitationPage({ ctx: req.pageCtx(), user }));
  });

  app.post('/agent/invitations/:id/renvoyer', { schema: { params: idParams, body: EmptyBody } }, async (req, reply) => {
    const { id } = req.params;
    const result = await identity.reissueCode(req.auth, id);
    if (!result.ok) return reply.flash(result.errors.form).seeOther(`/agent/invitations/${id}`);
    return reply.flash(`Un nouveau code part par courriel à ${result.value.user.email}.`).seeOther(`/agent/invitations/${id}`);
  });

  app.post('/agent/invitations/:id/lettre', { schema: { params: idParams, body: EmptyBody } }, async (req, reply) => {
    const { id } = req.params;
    const result = await identity.reissueCode(req.auth, id);
    if (!result.ok) return reply.flash(result.errors.form).seeOther(`/agent/invitations/${id}`);
    const { user, code, expiresAt } = result.value;
    const pdf = await activationLetters(ctx.config.town.name, ctx.config.publicUrl, [{ firstName: user.firstName, lastName: user.lastName, code, expiresAt }], ctx.clock.now());
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="lettre-activation-${user.lastName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  // At the counter: a new code shown once on this answer (no-store), never stored readable; audited.
  app.post('/agent/invitations/:id/code-guichet', { schema: { params: idParams, body: EmptyBody } }, async (req, reply) => {
    const { id } = req.params;
    const result = await identity.handCodeAtCounter(req.auth, id);
    if (!result.ok) return reply.flash(result.errors.form).seeOther(`/agent/invitations/${id}`);
    return reply.page(v.CounterCodePage({ ctx: req.pageCtx(), userId: id, ...result.value, activationUrl: `${ctx.config.publicUrl}/activation` }));
  });

  // A reset link sent to the account's own address, at an agent's request (logged under the agent's name).
  app.post('/agent/invitations/:id/reinitialiser', { schema: { params: idParams, body: EmptyBody } }, async (req, reply) => {
    const { id } = req.params;
    const result = await identity.sendResetLink(req.auth, id);
    return reply.flash(result.ok ? IDENTITY_NOTICES.reset_sent : result.errors.form).seeOther(`/agent/invitations/${id}`);
  });

  app.get('/agent/agents', async (req, reply) => reply.page(v.AgentsPage({ ctx: req.pageCtx(), agents: await identity.listAgents(req.auth) })));

  app.post('/agent/agents', { schema: { body: AgentBody } }, async (req, reply) => {
    const f = parseForm(agentSchema, req.body);
    const again = async (errors: Record<string, string>) =>
      reply.page(v.AgentsPage({ ctx: req.pageCtx(), agents: await identity.listAgents(req.auth), errors, values: f.values, selectedRoles: req.body.roles }), 400);
    if (!f.ok) return again(f.errors);
    const d = f.data;
    const result = await identity.invite(req.auth, { kind: 'agent', firstName: d.first_name, lastName: d.last_name, email: d.email, roles: d.roles });
    if (!result.ok) return again(result.errors);
    return reply.flash(`Agent ajouté : son code d'activation part par courriel à ${d.email}.`).seeOther('/agent/agents');
  });

  app.get('/agent/agents/:id', { schema: { params: idParams } }, async (req, reply) => {
    const agent = await identity.getAgent(req.auth, req.params.id);
    if (!agent) throw new NotFoundError();
    return reply.page(v.AgentPage({ ctx: req.pageCtx(), agent }));
  });

  app.post('/agent/agents/:id', { schema: { params: idParams, body: AgentUpdateBody } }, async (req, reply) => {
    const { id } = req.params;
    const agent = await identity.getAgent(req.auth, id);
    if (!agent) throw new NotFoundError();
    const f = parseForm(agentUpdateSchema, req.body);
    if (!f.ok) return reply.page(v.AgentPage({ ctx: req.pageCtx(), agent, errors: f.errors }), 400);
    const result = await identity.updateAgent(req.auth, id, { roles: f.data.roles, disabled: f.data.disabled === '1' });
    if (!result.ok) return reply.page(v.AgentPage({ ctx: req.pageCtx(), agent, errors: result.errors }), 400);
    return reply.flash(IDENTITY_NOTICES.agent_saved).seeOther('/agent/agents');
  });
}
