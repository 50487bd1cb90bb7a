import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../audit/audit.repository.ts';
import type { Auth } from './auth-types.ts';
import { requireFamily } from './guards.ts';

/** Who wrote an audit row: the logged-in person, and the household when an agent acts at the counter. */
export const actorOf = (auth: Auth): Actor => ({
  id: auth.user.id,
  label: `${auth.user.firstName} ${auth.user.lastName}${auth.user.kind === 'agent' ? ' (agent)' : ''}`,
  onBehalfOfHouseholdId: auth.actingHouseholdId,
});

/** Who acts on the family space: a guardian of the household, or an agent at the counter (assisted mode). */
export interface FamilyActor {
  auth: Auth;
  householdId: string;
  /** The guardian's own person; null in assisted mode. */
  personId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireHousehold`: the household every family route works on, from the session only. */
    family: FamilyActor | null;
  }
}

/**
 * The household of a session: the one an agent acts for, or the guardian's own (read with the
 * session). Null for a guardian not yet linked to a household, or an agent not at the counter.
 */
export function familyActorOf(auth: Auth): FamilyActor | null {
  if (auth.user.kind === 'agent') return auth.actingHouseholdId ? { auth, householdId: auth.actingHouseholdId, personId: null } : null;
  return auth.guardianOf ? { auth, ...auth.guardianOf } : null;
}

/**
 * The one family guard: a logged-in guardian with a household, or an agent acting for one.
 * A guardian not yet linked goes back to the home page that explains it.
 */
export async function requireHousehold(req: FastifyRequest, reply: FastifyReply) {
  await requireFamily(req, reply);
  if (reply.sent || !req.auth) return;
  req.family = familyActorOf(req.auth);
  if (!req.family) return reply.seeOther('/famille');
}

/** The household of a route guarded by `requireHousehold`. */
export function familyOf(req: FastifyRequest): FamilyActor {
  if (!req.family) throw new Error('requireHousehold must guard this route');
  return req.family;
}
