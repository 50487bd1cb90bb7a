import type { AppContext } from '../platform/context.ts';
import { identityService } from '../modules/identity/identity.service.ts';
import { findUserByEmail } from '../modules/identity/identity.repository.ts';
import { seedHouseholds } from './households.seed.ts';
import { seedServices } from './services.seed.ts';
import { seedTariffs } from './tariffs.seed.ts';
import { seedInvoicing } from './invoicing.seed.ts';
import { DemoSeedError, must } from './steps.ts';
import type { AgentRole, Auth } from '../platform/http/auth-types.ts';

export { DemoSeedError } from './steps.ts';

/**
 * The demo accounts listed in the README (test: readme-accounts.test.ts logs in with each one).
 * Passwords follow the password rules like any other: long passphrases of unusual words that contain
 * neither the address's name part nor the person's names (the kitchen's « Cuisine-… » was refused
 * because of « cuisine@ », and the seed used to ignore it).
 */
export const DEMO_ACCOUNTS = {
  admin: { email: 'admin@demo.portail-famille.fr', password: 'Mairie-Beauval-2026!', firstName: 'Claire', lastName: 'Martin' },
  enfance: { email: 'enfance@demo.portail-famille.fr', password: 'Cantine-Beauval-2026!', firstName: 'Karim', lastName: 'Benali' },
  guardian: { email: 'parent@demo.portail-famille.fr', password: 'Famille-Beauval-2026!', firstName: 'Sophie', lastName: 'Durand' },
  /** A second family: Léa's father, separated, with his own household that sees Léa too. */
  secondGuardian: { email: 'yann.durand@demo.portail-famille.fr', password: 'Ardoise-Marelle-Tilleul-41!', firstName: 'Yann', lastName: 'Durand' },
  animateur: { email: 'animation@demo.portail-famille.fr', password: 'Pointage-Beauval-2026!', firstName: 'Lucas', lastName: 'Perrin' },
  restauration: { email: 'cuisine@demo.portail-famille.fr', password: 'Marmite-Louche-Persil-2026!', firstName: 'Nadia', lastName: 'Roux' },
  regie: { email: 'regie@demo.portail-famille.fr', password: 'Bordereau-Quittance-Tilleul-26!', firstName: 'Paul', lastName: 'Lemaire' },
} as const;

/**
 * Creates the demo town once (idempotent: does nothing if it is complete). Returns true when it created data.
 * Every step checks its result: a step that fails throws a DemoSeedError that names it, and the start stops.
 */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  if (await findUserByEmail(ctx.db, DEMO_ACCOUNTS.admin.email)) {
    // The admin is created first and the school year last: an admin without a school year is a
    // previous start that stopped half-way, which would otherwise go unnoticed forever.
    const years = await ctx.db.selectFrom('school_years').select('id').limit(1).execute();
    if (years.length === 0) {
      throw new DemoSeedError('vérification de la démonstration existante', 'un démarrage précédent s\'est arrêté pendant la création des données de démonstration');
    }
    return false;
  }
  const identity = identityService(ctx);
  const admin = must('création de l\'administratrice', await identity.createAdmin(DEMO_ACCOUNTS.admin));
  const agentAccount = async (step: string, role: AgentRole, account: { email: string; password: string; firstName: string; lastName: string }) => {
    const invited = must(`invitation de l'agent ${step}`, await identity.invite(null, { kind: 'agent', roles: [role], email: account.email, firstName: account.firstName, lastName: account.lastName }));
    must(`activation du compte ${account.email}`, await identity.activate({ code: invited.code, password: account.password }));
    return invited;
  };
  await agentAccount('enfance', 'enfance', DEMO_ACCOUNTS.enfance);
  const animateur = await agentAccount('animateur', 'animateur', DEMO_ACCOUNTS.animateur);
  await agentAccount('cuisine', 'restauration', DEMO_ACCOUNTS.restauration);
  await agentAccount('régie', 'regie', DEMO_ACCOUNTS.regie);
  // The demo families are entered by the admin, as a town would from its paper forms.
  const agent: Auth = {
    sessionId: 'demo',
    actingHouseholdId: null,
    actingLabel: null,
    guardianOf: null,
    user: { id: admin, email: DEMO_ACCOUNTS.admin.email, firstName: DEMO_ACCOUNTS.admin.firstName, lastName: DEMO_ACCOUNTS.admin.lastName, kind: 'agent', status: 'active', roles: ['admin'] },
  };
  await seedHouseholds(ctx, agent, DEMO_ACCOUNTS.guardian, DEMO_ACCOUNTS.secondGuardian);
  const catalogue = await seedServices(ctx, { animateurId: animateur.userId });
  await seedTariffs(ctx, agent, catalogue.schoolYearId);
  // After the town's tariffs: invoicing only adds some for services that have none.
  await seedInvoicing(ctx, agent, DEMO_ACCOUNTS.guardian.email);
  return true;
}
