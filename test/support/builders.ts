import type { AppContext } from '../../src/platform/context.ts';
import type { AgentRole } from '../../src/platform/http/auth-types.ts';
import { identityService } from '../../src/modules/identity/identity.service.ts';
import { householdsAgentService } from '../../src/modules/households/households.agent-service.ts';
import type { Auth } from '../../src/platform/http/auth-types.ts';
import { familyActorOf as actorOfSession } from '../../src/platform/http/actor.ts';
import { householdsOfUser } from '../../src/modules/households/households.repository.ts';

let counter = 0;
export const TEST_PASSWORD = 'Essai-Portail-2026!';

/** An active agent with the given roles, ready to log in with TEST_PASSWORD. */
export async function anAgent(ctx: AppContext, roles: AgentRole[], email = `agent${++counter}@test.fr`) {
  const identity = identityService(ctx);
  const invited = await identity.invite(null, { kind: 'agent', roles, email, firstName: 'Agent', lastName: `Numéro${counter}` });
  if (!invited.ok) throw new Error(JSON.stringify(invited.errors));
  const activated = await identity.activate({ code: invited.value.code, password: TEST_PASSWORD });
  if (!activated.ok) throw new Error(JSON.stringify(activated.errors));
  return { id: invited.value.userId, email, password: TEST_PASSWORD };
}

/** An active guardian account. */
export async function aGuardian(ctx: AppContext, email = `parent${++counter}@test.fr`, names = { firstName: 'Camille', lastName: `Parent${counter}` }) {
  const identity = identityService(ctx);
  const invited = await identity.invite(null, { email, ...names });
  if (!invited.ok) throw new Error(JSON.stringify(invited.errors));
  const activated = await identity.activate({ code: invited.value.code, password: TEST_PASSWORD });
  if (!activated.ok) throw new Error(JSON.stringify(activated.errors));
  return { id: invited.value.userId, email, password: TEST_PASSWORD };
}

/** An Auth for calling services directly as an agent (what a logged-in agent's session carries). */
export async function agentAuth(ctx: AppContext, roles: AgentRole[]): Promise<Auth> {
  const agent = await anAgent(ctx, roles);
  return { sessionId: 'test', actingHouseholdId: null, actingLabel: null, guardianOf: null, user: { id: agent.id, email: agent.email, firstName: 'Agent', lastName: 'Test', kind: 'agent', status: 'active', roles } };
}

/** A household with one activated guardian and one child, created as the town would. */
export async function aFamily(ctx: AppContext, auth: Auth, lastName: string, options: { childFirstName?: string } = {}) {
  const households = householdsAgentService(ctx);
  const email = `${lastName.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}${++counter}@test.fr`;
  const householdId = await households.create(auth, { address_line1: '1 rue de la Paix', address_line2: null, postcode: '62160', city: 'Beauval' }, { first_name: 'Alex', last_name: lastName, email, phone: '0600000000', relationship: 'Mère' });
  await households.addChild(auth, householdId, { first_name: options.childFirstName ?? 'Noé', last_name: lastName, birth_date: '2018-05-04', sex: 'M', school: null, class_level: null });
  const { members } = await households.get(auth, householdId);
  const guardian = members.find((m) => m.role === 'guardian')!;
  const child = members.find((m) => m.role === 'child')!;
  const invited = await households.inviteGuardian(auth, householdId, guardian.id);
  if (!invited.ok) throw new Error(invited.error);
  const activated = await identityService(ctx).activate({ code: invited.code, password: TEST_PASSWORD });
  if (!activated.ok) throw new Error(JSON.stringify(activated.errors));
  return { householdId, childId: child.id, guardianId: guardian.id, email, password: TEST_PASSWORD };
}

/** The family side of a guardian, as a session would resolve it. */
export async function familyActorOf(ctx: AppContext, email: string) {
  const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
  const [household] = await householdsOfUser(ctx.db, user.id);
  const guardianOf = household ? { householdId: household.id, personId: household.person_id } : null;
  const auth: Auth = { sessionId: 'test', actingHouseholdId: null, actingLabel: null, guardianOf, user: { id: user.id, email, firstName: user.first_name, lastName: user.last_name, kind: 'guardian', status: user.status, roles: [] } };
  const actor = actorOfSession(auth);
  if (!actor) throw new Error('pas de foyer');
  return actor;
}
