import type { App } from '../../platform/http/app-type.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { emailField, parseForm, requiredText } from '../../platform/http/forms.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { AGENT_ROLES } from '../../platform/http/auth-types.ts';
import { isUuid } from '../../platform/ids.ts';
import type { IdentityService } from './identity.service.ts';
import { activationLetters } from './identity.letter.ts';
import * as v from './identity.agent-views.tsx';

const optionalEmail = z.union([z.literal('').transform(() => undefined), emailField()]).optional();
const inviteSchema = z.object({
  first_name: requiredText('Saisissez le prénom', 80),
  last_name: requiredText('Saisissez le nom', 80),
  email: optionalEmail,
});
const rolesField = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((r) => (Array.isArray(r) ? r : r ? [r] : []))
  .pipe(z.array(z.enum(AGENT_ROLES)).min(1, 'Choisissez au moins un rôle'));
const agentSchema = z.object({
  first_name: requiredText('Saisissez le prénom', 80),
  last_name: requiredText('Saisissez le nom', 80),
  email: emailField(),
  roles: rolesField,
});
const agentUpdateSchema = z.object({ roles: rolesField, disabled: z.string().optional() });

const pageOf = (q: unknown) => Math.max(1, Math.min(10_000, Number((q as { page?: string }).page) || 1));
const selectedRoles = (body: unknown) => {
  const r = (body as { roles?: string | string[] }).roles;
  return Array.isArray(r) ? r : r ? [r] : [];
};

/** Back office: invitations of guardians, and (admin) the agents' accounts. Roles are checked in the service. */
export function identityAgentRoutes(app: App, ctx: AppContext, identity: IdentityService) {
  app.get('/agent/invitations', async (req, reply) => {
    const page = pageOf(req.query);
    const list = await identity.listInvitations(req.auth, page);
    return reply.page(v.InvitationsPage({ ctx: req.pageCtx(), ...list, page, now: ctx.clock.now() }));
  });

  app.post('/agent/invitations', async (req, reply) => {
    const form = parseForm(inviteSchema, req.body);
    const again = async (errors: Record<string, string>) => {
      const list = await identity.listInvitations(req.auth, 1);
      return reply.page(v.InvitationsPage({ ctx: req.pageCtx(), ...list, page: 1, now: ctx.clock.now(), errors, values: form.values }), 400);
    };
    if (!form.ok) return again(form.errors);
    const result = await identity.invite(req.auth, { firstName: form.data.first_name, lastName: form.data.last_name, email: form.data.email });
    if (!result.ok) return again(result.errors);
    const who = `${form.data.first_name} ${form.data.last_name}`;
    return reply
      .flash(result.value.channel === 'email' ? `Compte créé : le code d'activation part par courriel à ${form.data.email}.` : `Compte créé pour ${who}. Imprimez maintenant la lettre d'activation.`)
      .seeOther(`/agent/invitations/${result.value.userId}`);
  });

  app.get('/agent/invitations/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const user = isUuid(id) ? await identity.getGuardianAccount(req.auth, id) : undefined;
    if (!user) throw new NotFoundError();
    return reply.page(v.InvitationPage({ ctx: req.pageCtx(), user }));
  });

  app.post('/agent/invitations/:id/renvoyer', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!isUuid(id)) throw new NotFoundError();
    const result = await identity.reissueCode(req.auth, id);
    if (!result.ok) return reply.flash(result.errors.form).seeOther(`/agent/invitations/${id}`);
    return reply.flash(`Un nouveau code part par courriel à ${result.value.user.email}.`).seeOther(`/agent/invitations/${id}`);
  });

  app.post('/agent/invitations/:id/lettre', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!isUuid(id)) throw new NotFoundError();
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

  app.get('/agent/agents', async (req, reply) => reply.page(v.AgentsPage({ ctx: req.pageCtx(), agents: await identity.listAgents(req.auth) })));

  app.post('/agent/agents', async (req, reply) => {
    const form = parseForm(agentSchema, req.body);
    const again = async (errors: Record<string, string>) =>
      reply.page(v.AgentsPage({ ctx: req.pageCtx(), agents: await identity.listAgents(req.auth), errors, values: form.values, selectedRoles: selectedRoles(req.body) }), 400);
    if (!form.ok) return again(form.errors);
    const d = form.data;
    const result = await identity.invite(req.auth, { kind: 'agent', firstName: d.first_name, lastName: d.last_name, email: d.email, roles: d.roles });
    if (!result.ok) return again(result.errors);
    return reply.flash(`Agent ajouté : son code d'activation part par courriel à ${d.email}.`).seeOther('/agent/agents');
  });

  app.get('/agent/agents/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const agent = isUuid(id) ? await identity.getAgent(req.auth, id) : undefined;
    if (!agent) throw new NotFoundError();
    return reply.page(v.AgentPage({ ctx: req.pageCtx(), agent }));
  });

  app.post('/agent/agents/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const agent = isUuid(id) ? await identity.getAgent(req.auth, id) : undefined;
    if (!agent) throw new NotFoundError();
    const form = parseForm(agentUpdateSchema, req.body);
    if (!form.ok) return reply.page(v.AgentPage({ ctx: req.pageCtx(), agent, errors: form.errors }), 400);
    const result = await identity.updateAgent(req.auth, id, { roles: form.data.roles, disabled: form.data.disabled === '1' });
    if (!result.ok) return reply.page(v.AgentPage({ ctx: req.pageCtx(), agent, errors: result.errors }), 400);
    return reply.flash('Les droits de l\'agent sont enregistrés.').seeOther('/agent/agents');
  });
}
