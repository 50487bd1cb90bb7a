import type { AppContext } from '../../src/platform/context.ts';
import type { Auth } from '../../src/platform/http/auth-types.ts';
import { newId } from '../../src/platform/ids.ts';
import * as cat from '../../src/modules/catalogue/catalogue.repository.ts';
import { householdsAgentService } from '../../src/modules/households/households.agent-service.ts';
import { aFamily } from './builders.ts';
import { aSchoolCatalogue } from '../../src/modules/enrolments/enrolments.fixtures.ts';
import { anAcceptedEnrolment } from './catalogue.ts';

/**
 * A small town for audience tests (today: Saturday 28 November 2026):
 * - A (Martin): Léa, born 2018, CE1, canteen of Jules-Ferry (Élémentaire); a request waiting for the family;
 * - B (Bernard): Noé, born 2021, morning care of Jules-Ferry (Maternelle); Léa is also B's child (separated
 *   parents); B's request was answered by the family;
 * - C (Durand): a child at the canteen of Pasteur; C's guardian is also a guardian of D;
 * - D (Petit): a child booked on Thursday 3 December;
 * - E (Roux): a guardian with no account yet, a child born 2020.
 */
export async function aMessagingTown(ctx: AppContext, town: Auth) {
  const c = await aSchoolCatalogue(ctx);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const pasteur = await ctx.db.transaction().execute(async (tx) => {
    const facilityId = await cat.insertFacility(tx, { name: 'École Pasteur', kind: 'school' }, now);
    const groupId = await cat.insertGroup(tx, { facilityId, name: 'Élémentaire Pasteur' });
    const canteenId = await cat.insertService(tx, { facilityId, kind: 'canteen', name: 'Restauration scolaire', weekdays: [1, 2, 4, 5], bookingRule: { kind: 'days_before', days: 2, working: true, time: '12:00' }, cancellationRule: { kind: 'days_before', days: 2, working: true, time: '12:00' } }, now);
    const unitId = await cat.insertUnit(tx, { serviceId: canteenId, label: 'Repas', isMeal: true });
    await cat.insertPeriod(tx, { schoolYearId: c.year26, kind: 'school', label: 'Période 2', start: '2026-11-02', end: '2026-12-18' });
    return { facilityId, groupId, canteenId, unitId };
  });
  const a = await aFamily(ctx, town, 'Martin', { childFirstName: 'Léa' });
  const b = await aFamily(ctx, town, 'Bernard', { childFirstName: 'Noé' });
  const cc = await aFamily(ctx, town, 'Durand', { childFirstName: 'Jade' });
  const d = await aFamily(ctx, town, 'Petit', { childFirstName: 'Tom' });
  const households = householdsAgentService(ctx);
  const eId = await households.create(town, { address_line1: '5 rue Haute', address_line2: null, postcode: '62160', city: 'Beauval' }, { first_name: 'Sam', last_name: 'Roux', email: null, phone: '0600000001', relationship: 'Père' });
  await households.addChild(town, eId, { first_name: 'Lou', last_name: 'Roux', birth_date: '2020-02-10', sex: 'F', school: null, class_level: null });

  await ctx.db.updateTable('persons').set({ birth_date: '2021-03-01' }).where('id', '=', b.childId).execute();
  await ctx.db.updateTable('persons').set({ birth_date: '2017-01-15' }).where('id', 'in', [cc.childId, d.childId]).execute();
  await ctx.db.insertInto('school_lists').values({ id: newId(), kind: 'class_level', label: 'CE1', position: 3 }).execute();
  await ctx.db.updateTable('children').set({ class_level: 'CE1' }).where('person_id', '=', a.childId).execute();
  // Léa is also a child of B; C's guardian is also a guardian of D.
  await ctx.db.insertInto('household_members').values({ household_id: b.householdId, person_id: a.childId, role: 'child', relationship: null, created_at: at }).execute();
  await ctx.db.insertInto('household_members').values({ household_id: d.householdId, person_id: cc.guardianId, role: 'guardian', relationship: 'Père', created_at: at }).execute();

  await anAcceptedEnrolment(ctx, a.householdId, a.childId, { serviceId: c.canteenId, schoolYearId: c.year26, groupId: c.elementaireId });
  await anAcceptedEnrolment(ctx, b.householdId, b.childId, { serviceId: c.morningId, schoolYearId: c.year26, groupId: c.maternelleId });
  await anAcceptedEnrolment(ctx, cc.householdId, cc.childId, { serviceId: pasteur.canteenId, schoolYearId: c.year26, groupId: pasteur.groupId });

  const slotId = newId();
  await ctx.db.insertInto('slots').values({ id: slotId, unit_id: pasteur.unitId, group_id: pasteur.groupId, day: '2026-12-03', capacity: null, taken: 1, waiting: 0, closed: 0, waiting_seq: 0 }).execute();
  await ctx.db.insertInto('bookings').values({ id: newId(), child_person_id: d.childId, household_id: d.householdId, service_id: pasteur.canteenId, unit_id: pasteur.unitId, slot_id: slotId, day: '2026-12-03', status: 'booked', waiting_rank: null, override: 0, attendance: null, attendance_at: null, attendance_by: null, absence_declared_at: null, created_at: at, updated_at: at }).execute();

  // Requests: A waits for the family (the service wrote last); B's family answered.
  for (const [household, answered] of [[a.householdId, false], [b.householdId, true]] as const) {
    const requestId = newId();
    await ctx.db.insertInto('requests').values({ id: requestId, reference: `T-${requestId.slice(-8)}`, type: 'enrolment', household_id: household, subject_person_id: null, status: 'in_review', summary: 'Test', created_at: at, updated_at: at }).execute();
    await ctx.db.insertInto('request_messages').values({ id: newId(), request_id: requestId, at: '2026-11-20T10:00:00.000Z', author_id: null, author_label: 'Service', from_family: 0, body: 'Merci d\'envoyer le justificatif.' }).execute();
    if (answered) await ctx.db.insertInto('request_messages').values({ id: newId(), request_id: requestId, at: '2026-11-21T10:00:00.000Z', author_id: null, author_label: 'Famille', from_family: 1, body: 'Voici.' }).execute();
  }
  return { c, pasteur, a, b, cc, d, eId };
}
