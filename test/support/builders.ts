import type { AppContext } from '../../src/platform/context.ts';
import type { AgentRole } from '../../src/platform/http/auth-types.ts';
import { identityService } from '../../src/modules/identity/identity.service.ts';

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
