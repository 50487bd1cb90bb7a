import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError } from './errors.ts';
import { hasRole, type AgentRole, type Auth } from './auth-types.ts';

/** Where to come back after logging in; only local paths are accepted (no open redirect). */
export function safeReturnPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : undefined;
}

function redirectToLogin(req: FastifyRequest, reply: FastifyReply) {
  // A form posted just after the session expired is kept for the same person, not lost (resume.ts):
  // the request goes on to be checked and kept, never to its handler.
  if (req.method === 'POST' && req.sessionExpired && req.server.resumableForms?.has(req.routeOptions.url ?? '')) {
    req.resumeAfterLogin = true;
    return;
  }
  const params = new URLSearchParams();
  if (req.method === 'GET') params.set('retour', req.url);
  if (req.sessionExpired) params.set('expiree', '1');
  const query = params.toString();
  return reply.seeOther(`/connexion${query ? `?${query}` : ''}`);
}

/** Any logged-in user. */
export async function requireUser(req: FastifyRequest, reply: FastifyReply) {
  if (!req.auth) return redirectToLogin(req, reply);
}

/** Family pages: a guardian, or an agent acting for a household at the counter. */
export async function requireFamily(req: FastifyRequest, reply: FastifyReply) {
  if (!req.auth) return redirectToLogin(req, reply);
  if (req.auth.user.kind === 'agent' && !req.auth.actingHouseholdId) return reply.seeOther('/agent');
}

/** Back-office pages; each service checks the precise role it needs. */
export async function requireAgent(req: FastifyRequest, reply: FastifyReply) {
  if (!req.auth) return redirectToLogin(req, reply);
  if (req.auth.user.kind !== 'agent') throw new ForbiddenError();
}

export function assertRole(auth: Auth | null, ...roles: AgentRole[]): asserts auth is Auth {
  if (!auth || !hasRole(auth.user, ...roles)) throw new ForbiddenError();
}
