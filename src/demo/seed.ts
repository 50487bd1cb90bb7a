import type { AppContext } from '../platform/context.ts';
import { identityService } from '../modules/identity/identity.service.ts';
import { findUserByEmail } from '../modules/identity/identity.repository.ts';

/** The demo accounts listed in the README. Passwords follow the password rules like any other. */
export const DEMO_ACCOUNTS = {
  admin: { email: 'admin@demo.portail-famille.fr', password: 'Mairie-Beauval-2026!', firstName: 'Claire', lastName: 'Martin' },
  enfance: { email: 'enfance@demo.portail-famille.fr', password: 'Cantine-Beauval-2026!', firstName: 'Karim', lastName: 'Benali' },
  guardian: { email: 'parent@demo.portail-famille.fr', password: 'Famille-Beauval-2026!', firstName: 'Sophie', lastName: 'Durand' },
} as const;

/** Creates the demo town once (idempotent: does nothing if the admin account exists). Returns true when it created data. */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  if (await findUserByEmail(ctx.db, DEMO_ACCOUNTS.admin.email)) return false;
  const identity = identityService(ctx);
  const admin = await identity.createAdmin(DEMO_ACCOUNTS.admin);
  if (!admin.ok) throw new Error(`Démo : ${JSON.stringify(admin.errors)}`);
  const enfance = await identity.invite(null, { kind: 'agent', roles: ['enfance'], email: DEMO_ACCOUNTS.enfance.email, firstName: DEMO_ACCOUNTS.enfance.firstName, lastName: DEMO_ACCOUNTS.enfance.lastName });
  if (enfance.ok) await identity.activate({ code: enfance.value.code, password: DEMO_ACCOUNTS.enfance.password });
  const parent = await identity.invite(null, { email: DEMO_ACCOUNTS.guardian.email, firstName: DEMO_ACCOUNTS.guardian.firstName, lastName: DEMO_ACCOUNTS.guardian.lastName });
  if (parent.ok) await identity.activate({ code: parent.value.code, password: DEMO_ACCOUNTS.guardian.password });
  // Guardians who have not activated yet, to follow an activation from the back office.
  await identity.invite(null, { email: 'julien.moreau@demo.portail-famille.fr', firstName: 'Julien', lastName: 'Moreau' });
  await identity.invite(null, { firstName: 'Fatima', lastName: 'Haddad' });
  return true;
}
