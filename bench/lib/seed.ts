import type { AppContext } from '../../src/platform/context.ts';
import { aFamily, agentAuth } from '../../test/support/builders.ts';

export interface Credentials {
  email: string;
  password: string;
}

/**
 * The data every scenario starts from: households created by an agent as the town does (one
 * guardian, one child), each guardian's account activated with its code, ready to log in over HTTP.
 * Uses the test builders, so the data follows the app as it changes.
 * Scenarios that need more (activities, bookings, thousands of households) add their own seed functions here.
 */
export async function seedFamilies(ctx: AppContext, count: number): Promise<Credentials[]> {
  const agent = await agentAuth(ctx, ['admin']);
  const out: Credentials[] = [];
  for (let i = 1; i <= count; i++) {
    const family = await aFamily(ctx, agent, `Banc${i}`, { childFirstName: 'Noé' });
    out.push({ email: family.email, password: family.password });
  }
  return out;
}
