import type { AppContext } from '../platform/context.ts';
import type { Auth } from '../platform/http/auth-types.ts';
import { identityService } from '../modules/identity/identity.service.ts';
import { householdsAgentService } from '../modules/households/households.agent-service.ts';
import * as repo from '../modules/households/households.repository.ts';
import { insertPendingChange } from '../modules/households/households.repository.ts';
import { must } from './steps.ts';

const SCHOOLS = ['École Jules-Ferry', 'École Marie-Curie'];
const CLASSES = ['Petite section', 'Moyenne section', 'Grande section', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'];
const LAST = ['Bernard', 'Petit', 'Robert', 'Richard', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson', 'Marchand', 'Duval', 'Denis', 'Lemaire', 'Haddad', 'Nguyen', 'Diallo', 'Benali', 'Traoré'];
const ADULT_F = ['Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Aurélie', 'Émilie', 'Julie', 'Céline', 'Amina', 'Fatou', 'Linh', 'Sarah', 'Laetitia'];
const ADULT_M = ['Thomas', 'Nicolas', 'Julien', 'Sébastien', 'Mickaël', 'Karim', 'Mamadou', 'David', 'Stéphane', 'Jérôme', 'Yann', 'Hugo'];
const CHILD_F = ['Léa', 'Emma', 'Jade', 'Louise', 'Alice', 'Chloé', 'Inès', 'Lina', 'Mila', 'Rose', 'Anna', 'Zoé', 'Maëlys', 'Nour'];
const CHILD_M = ['Gabriel', 'Léo', 'Raphaël', 'Arthur', 'Louis', 'Jules', 'Adam', 'Maël', 'Noah', 'Sacha', 'Nathan', 'Éthan', 'Ibrahim', 'Tom'];
const STREETS = ['rue Victor-Hugo', 'avenue Jean-Jaurès', 'rue de la République', 'rue Pasteur', 'place de la Mairie', 'rue des Écoles', 'allée des Tilleuls', 'rue du Marais', 'chemin des Vignes', 'rue Émile-Zola'];
const ALLERGIES = ['Arachide', 'Lait de vache', 'Œuf', 'Fruits à coque', 'Gluten'];

/** Deterministic pseudo-random numbers (mulberry32), so the demo town is the same on every machine. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A few dozen realistic households: siblings, a child in two households (separated parents),
 * allergies and PAI, a pending change, guardians not yet activated, one without e-mail.
 */
type DemoGuardian = { email: string; password: string; firstName: string; lastName: string };

export async function seedHouseholds(ctx: AppContext, agent: Auth, demoGuardian: DemoGuardian, secondGuardian: DemoGuardian) {
  const { db, clock } = ctx;
  const identity = identityService(ctx);
  const households = householdsAgentService(ctx);
  const now = clock.now();
  const year = now.getUTCFullYear();
  const random = rng(2026);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const birth = (age: number) => `${year - age}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const classFor = (age: number) => CLASSES[Math.max(0, Math.min(CLASSES.length - 1, age - 3))];

  await db.transaction().execute(async (tx) => {
    for (const [i, s] of SCHOOLS.entries()) await repo.insertSchoolListItem(tx, 'school', s, i);
    for (const [i, c] of CLASSES.entries()) await repo.insertSchoolListItem(tx, 'class_level', c, i);
  });

  // The README's demo family: Sophie Durand, two children, one with an allergy and a PAI.
  const durandId = await households.create(agent, { address_line1: '12 rue des Écoles', address_line2: null, postcode: '62160', city: 'Beauval' }, { first_name: demoGuardian.firstName, last_name: demoGuardian.lastName, email: demoGuardian.email, phone: '0612345678', relationship: 'Mère' });
  const durand = await db.transaction().execute(async (tx) => {
    const lea = await households.addChildTx(tx, durandId, { first_name: 'Léa', last_name: 'Durand', birth_date: `${year - 8}-03-27`, sex: 'F', school: SCHOOLS[0], class_level: 'CE2' }, now);
    await households.addChildTx(tx, durandId, { first_name: 'Hugo', last_name: 'Durand', birth_date: `${year - 5}-10-02`, sex: 'M', school: SCHOOLS[0], class_level: 'Grande section' }, now);
    await repo.updateHealth(tx, lea, now, { allergies: 'Arachide (réaction sévère)', has_pai: 1, pai_description: 'Trousse d\'urgence dans le cartable', doctor_name: 'Dr Lemoine', doctor_phone: '0321000000' });
    await repo.insertPickupPerson(tx, lea, { name: 'Monique Durand', relation: 'Grand-parent', phone: '0687654321', may_pick_up: 1, emergency_contact: 1 }, now);
    await repo.insertQuotient(tx, { household_id: durandId, value_eur: 742, reference_month: `${year}-09`, source: 'caf', reason: 'Attestation CAF de septembre', valid_until: null, created_by: null }, now);
    await repo.refreshHouseholdIndex(tx, durandId, now);
    return { lea };
  });
  const durandGuardian = (await repo.membersOf(db, durandId)).find((m) => m.role === 'guardian')!;
  const invitedDurand = must(`invitation de ${demoGuardian.email}`, await households.inviteGuardian(agent, durandId, durandGuardian.id));
  // Activated with the code the e-mail carried, as the parent would.
  must(`activation du compte ${demoGuardian.email}`, await identity.activate({ code: invitedDurand.code, password: demoGuardian.password }));

  // The separated father of Léa has his own household, which sees her too: the README's second family.
  const fatherId = await households.create(agent, { address_line1: '3 allée des Tilleuls', address_line2: null, postcode: '62160', city: 'Beauval' }, { first_name: secondGuardian.firstName, last_name: secondGuardian.lastName, email: secondGuardian.email, phone: '0611223344', relationship: 'Père' });
  await db.transaction().execute(async (tx) => {
    await repo.addMember(tx, fatherId, durand.lea, 'child', now);
    await repo.refreshHouseholdIndex(tx, fatherId, now);
  });
  const father = (await repo.membersOf(db, fatherId)).find((m) => m.role === 'guardian')!;
  const invitedFather = must(`invitation de ${secondGuardian.email}`, await households.inviteGuardian(agent, fatherId, father.id));
  must(`activation du compte ${secondGuardian.email}`, await identity.activate({ code: invitedFather.code, password: secondGuardian.password }));

  for (let i = 0; i < 36; i++) {
    const last = LAST[i % LAST.length];
    const mother = pick(ADULT_F);
    const hasEmail = i % 9 !== 4;
    const email = hasEmail ? `${mother}.${last}${i}@demo.portail-famille.fr`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() : null;
    const id = await households.create(
      agent,
      { address_line1: `${1 + Math.floor(random() * 90)} ${pick(STREETS)}`, address_line2: null, postcode: '62160', city: 'Beauval' },
      { first_name: mother, last_name: last, email, phone: `06${String(Math.floor(random() * 1e8)).padStart(8, '0')}`, relationship: 'Mère' },
    );
    await db.transaction().execute(async (tx) => {
      if (i % 3 === 0) await households.addGuardianTx(tx, id, { first_name: pick(ADULT_M), last_name: last, email: null, phone: null, relationship: 'Père' }, now);
      const children = 1 + Math.floor(random() * 3);
      for (let c = 0; c < children; c++) {
        const age = 3 + Math.floor(random() * 8);
        const girl = random() < 0.5;
        const childId = await households.addChildTx(tx, id, { first_name: pick(girl ? CHILD_F : CHILD_M), last_name: last, birth_date: birth(age), sex: girl ? 'F' : 'M', school: SCHOOLS[i % 2], class_level: classFor(age) }, now);
        if (random() < 0.12) await repo.updateHealth(tx, childId, now, { allergies: pick(ALLERGIES), has_pai: random() < 0.5 ? 1 : 0 });
        if (random() < 0.2) await repo.updateChild(tx, childId, { diet: pick(['sans_porc', 'vegetarien', 'sans_viande']) });
      }
      if (i % 4 !== 3) await repo.insertQuotient(tx, { household_id: id, value_eur: 300 + Math.floor(random() * 1500), reference_month: `${year}-09`, source: 'caf', reason: 'Attestation CAF de septembre', valid_until: null, created_by: null }, now);
      await repo.refreshHouseholdIndex(tx, id, now);
      if (i === 5) {
        await insertPendingChange(tx, { household_id: id, kind: 'new_child', payload: JSON.stringify({ first_name: 'Mia', last_name: last, birth_date: `${year - 3}-01-15`, sex: 'F', school: SCHOOLS[1], class_level: 'Petite section' }), summary: `Nouvel enfant : Mia ${last}, née le 15/01/${year - 3}`, submitted_by: `${mother} ${last}` }, now);
      }
    });
    // Most families have their code; some have activated already (done by the code), others not yet.
    const guardian = (await repo.membersOf(db, id)).find((m) => m.role === 'guardian' && m.first_name === mother)!;
    const invited = must(`invitation du foyer ${last}`, await households.inviteGuardian(agent, id, guardian.id));
    if (hasEmail && i % 2 === 0) must(`activation du compte ${email}`, await identity.activate({ code: invited.code, password: `Galet-Boussole-Myrtille-${10 + i}!` }));
  }
}
