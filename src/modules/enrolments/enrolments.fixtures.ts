import type { AppContext } from '../../platform/context.ts';
import * as cat from '../catalogue/catalogue.repository.ts';
import type { DeadlineRule } from '../../platform/calendar/deadlines.domain.ts';
import type { TestClient } from '../../../test/support/client.ts';

/** Test data for enrolments: a school with two groups, two services, three school years. */

const RULE: DeadlineRule = { kind: 'days_before', days: 2, working: true, time: '12:00' };

export async function aSchoolCatalogue(ctx: AppContext) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const facilityId = await cat.insertFacility(tx, { name: 'École Jules-Ferry', kind: 'school' }, now);
    // Created in this order: « Maternelle » is the facility's first group.
    const maternelleId = await cat.insertGroup(tx, { facilityId, name: 'Maternelle', classLevels: ['PS', 'MS', 'GS'] });
    const elementaireId = await cat.insertGroup(tx, { facilityId, name: 'Élémentaire', classLevels: ['CP', 'CE1', 'CE2', 'CM1', 'CM2'] });
    const canteenId = await cat.insertService(tx, { facilityId, kind: 'canteen', name: 'Restauration scolaire', weekdays: [1, 2, 4, 5], bookingRule: RULE, cancellationRule: RULE }, now);
    await cat.insertUnit(tx, { serviceId: canteenId, label: 'Repas', isMeal: true });
    const morningId = await cat.insertService(tx, { facilityId, kind: 'morning', name: 'Accueil du matin maternelle', weekdays: [1, 2, 4, 5], classLevels: ['PS', 'MS', 'GS'], bookingRule: RULE, cancellationRule: RULE }, now);
    await cat.insertUnit(tx, { serviceId: morningId, label: 'Matin', isMeal: false });
    await cat.insertSchoolYear(tx, { label: '2025-2026', start: '2025-09-01', end: '2026-07-04' });
    const year26 = await cat.insertSchoolYear(tx, { label: '2026-2027', start: '2026-09-01', end: '2027-07-03' });
    const year27 = await cat.insertSchoolYear(tx, { label: '2027-2028', start: '2027-09-01', end: '2028-07-01' });
    return { facilityId, maternelleId, elementaireId, canteenId, morningId, year26, year27 };
  });
}

/** Files an enrolment request through the family's final form; returns the request id. */
export async function enrolThroughForm(client: TestClient, answers: { enfant: string; service: string; annee: string }) {
  await client.get('/demandes'); // a fresh CSRF token for this session
  const res = await client.post('/inscriptions/nouvelle', answers);
  const id = /^\/inscriptions\/confirmation\/([0-9a-f-]{36})$/.exec(res.location ?? '')?.[1];
  if (res.status !== 303 || !id) throw new Error(`Demande refusée (${res.status})`);
  return id;
}
