import type { AppContext } from '../platform/context.ts';
import { identityService } from '../modules/identity/identity.service.ts';
import { findUserByEmail } from '../modules/identity/identity.repository.ts';
import { seedHouseholds } from './households.seed.ts';
import { seedServices } from './services.seed.ts';
import type { Auth } from '../platform/http/auth-types.ts';

/** The demo accounts listed in the README. Passwords follow the password rules like any other. */
export const DEMO_ACCOUNTS = {
  admin: { email: 'admin@demo.portail-famille.fr', password: 'Mairie-Beauval-2026!', firstName: 'Claire', lastName: 'Martin' },
  enfance: { email: 'enfance@demo.portail-famille.fr', password: 'Cantine-Beauval-2026!', firstName: 'Karim', lastName: 'Benali' },
  guardian: { email: 'parent@demo.portail-famille.fr', password: 'Famille-Beauval-2026!', firstName: 'Sophie', lastName: 'Durand' },
  animateur: { email: 'animation@demo.portail-famille.fr', password: 'Pointage-Beauval-2026!', firstName: 'Lucas', lastName: 'Perrin' },
  restauration: { email: 'cuisine@demo.portail-famille.fr', password: 'Cuisine-Beauval-2026!', firstName: 'Nadia', lastName: 'Roux' },
} as const;

/** Creates the demo town once (idempotent: does nothing if the admin account exists). Returns true when it created data. */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  if (await findUserByEmail(ctx.db, DEMO_ACCOUNTS.admin.email)) return false;
  const identity = identityService(ctx);
  const admin = await identity.createAdmin(DEMO_ACCOUNTS.admin);
  if (!admin.ok) throw new Error(`Démo : ${JSON.stringify(admin.errors)}`);
  const enfance = await identity.invite(null, { kind: 'agent', roles: ['enfance'], email: DEMO_ACCOUNTS.enfance.email, firstName: DEMO_ACCOUNTS.enfance.firstName, lastName: DEMO_ACCOUNTS.enfance.lastName });
  if (enfance.ok) await identity.activate({ code: enfance.value.code, password: DEMO_ACCOUNTS.enfance.password });
  const animateur = await identity.invite(null, { kind: 'agent', roles: ['animateur'], email: DEMO_ACCOUNTS.animateur.email, firstName: DEMO_ACCOUNTS.animateur.firstName, lastName: DEMO_ACCOUNTS.animateur.lastName });
  if (!animateur.ok) throw new Error('Démo : animateur');
  await identity.activate({ code: animateur.value.code, password: DEMO_ACCOUNTS.animateur.password });
  const cuisine = await identity.invite(null, { kind: 'agent', roles: ['restauration'], email: DEMO_ACCOUNTS.restauration.email, firstName: DEMO_ACCOUNTS.restauration.firstName, lastName: DEMO_ACCOUNTS.restauration.lastName });
  if (cuisine.ok) await identity.activate({ code: cuisine.value.code, password: DEMO_ACCOUNTS.restauration.password });
  // The demo families are entered by the admin, as a town would from its paper forms.
  const agent: Auth = {
    sessionId: 'demo',
    actingHouseholdId: null,
    actingLabel: null,
    guardianOf: null,
    user: { id: admin.value, email: DEMO_ACCOUNTS.admin.email, firstName: DEMO_ACCOUNTS.admin.firstName, lastName: DEMO_ACCOUNTS.admin.lastName, kind: 'agent', status: 'active', roles: ['admin'] },
  };
  await seedHouseholds(ctx, agent, DEMO_ACCOUNTS.guardian);
  await seedServices(ctx, { animateurId: animateur.value.userId });
  return true;
}
