import type { AppContext } from '../../src/platform/context.ts';
import type { ServiceKind } from '../../src/platform/db/schema-services.ts';
import { newId } from '../../src/platform/ids.ts';
import * as cat from '../../src/modules/catalogue/catalogue.repository.ts';
import type { DeadlineRule } from '../../src/platform/calendar/deadlines.domain.ts';

export const J2_NOON: DeadlineRule = { kind: 'days_before', days: 2, working: true, time: '12:00' };

/**
 * A small town catalogue for tests: one school with one group, a service of the given kind with one unit,
 * the 2026-2027 school year with its school weeks and the Christmas holidays.
 */
export async function aService(ctx: AppContext, options: { kind?: ServiceKind; places?: number | null; weekdays?: number[]; rule?: DeadlineRule; holidayOpensAt?: string | null; allocation?: 'fcfs' | 'draw'; requestsCloseAt?: string | null } = {}) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const facilityId = await cat.insertFacility(tx, { name: `École ${newId().slice(-4)}`, kind: 'school' }, now);
    const groupId = await cat.insertGroup(tx, { facilityId, name: 'Élémentaire' });
    const kind = options.kind ?? 'canteen';
    const rule = options.rule ?? J2_NOON;
    const serviceId = await cat.insertService(tx, { facilityId, kind, name: kind === 'holiday' ? 'Centre de loisirs – vacances' : 'Restauration scolaire', weekdays: options.weekdays ?? (kind === 'holiday' ? [1, 2, 3, 4, 5] : [1, 2, 4, 5]), bookingRule: rule, cancellationRule: rule }, now);
    const unitId = await cat.insertUnit(tx, { serviceId, label: kind === 'holiday' ? 'Journée avec repas' : 'Repas', isMeal: true });
    if (options.places !== undefined) await cat.setCapacity(tx, unitId, groupId, options.places);
    let schoolYear = await cat.schoolYearOn(tx, '2026-12-01');
    if (!schoolYear) {
      const id = await cat.insertSchoolYear(tx, { label: '2026-2027', start: '2026-09-01', end: '2027-07-03' });
      await cat.insertPeriod(tx, { schoolYearId: id, kind: 'school', label: 'Période 2', start: '2026-11-02', end: '2026-12-18' });
      await cat.insertPeriod(tx, { schoolYearId: id, kind: 'school', label: 'Période 3', start: '2027-01-04', end: '2027-02-12' });
      await cat.insertPeriod(tx, { schoolYearId: id, kind: 'holiday', label: 'Vacances de Noël', start: '2026-12-21', end: '2027-01-01', bookingOpensAt: options.holidayOpensAt ?? null, allocation: options.allocation ?? 'fcfs', requestsCloseAt: options.requestsCloseAt ?? null });
      schoolYear = (await cat.schoolYearOn(tx, '2026-12-01'))!;
    }
    return { facilityId, groupId, serviceId, unitId, schoolYearId: schoolYear.id };
  });
}

/** An accepted enrolment, as if the request had been processed. */
export async function anAcceptedEnrolment(ctx: AppContext, householdId: string, childId: string, service: { serviceId: string; schoolYearId: string; groupId: string }) {
  const now = ctx.clock.now().toISOString();
  const requestId = newId();
  await ctx.db.insertInto('requests').values({ id: requestId, reference: `T-${requestId.slice(-8)}`, type: 'enrolment', household_id: householdId, subject_person_id: childId, status: 'accepted', summary: 'Inscription (test)', created_at: now, updated_at: now }).execute();
  await ctx.db.insertInto('enrolments').values({ id: newId(), request_id: requestId, child_person_id: childId, service_id: service.serviceId, school_year_id: service.schoolYearId, group_id: service.groupId, status: 'accepted', created_at: now }).execute();
}
