import type { AppContext } from '../platform/context.ts';
import type { ServiceKind } from '../platform/db/schema-services.ts';
import { newId } from '../platform/ids.ts';
import { nextCounter } from '../platform/db/counters.ts';
import { enrolmentSummary } from '../modules/enrolments/enrolments.domain.ts';
import { documentTypeByCode } from '../modules/documents/documents.shared-service.ts';
import { setRequired } from '../modules/catalogue/catalogue.documents.repository.ts';
import * as cat from '../modules/catalogue/catalogue.repository.ts';
import * as bookingsRepo from '../modules/bookings/bookings.repository.ts';
import { previousMonth } from '../modules/invoicing/invoicing.domain.ts';
import { daysBetween, isWorkingDay, todayIn, weekday } from '../platform/calendar/calendar.domain.ts';
import type { DeadlineRule } from '../platform/calendar/deadlines.domain.ts';

const J2 = { kind: 'days_before', days: 2, working: true, time: '12:00' } as const satisfies DeadlineRule;
const EVE = { kind: 'days_before', days: 1, working: false, time: '18:00' } as const satisfies DeadlineRule;
const THURSDAY = { kind: 'weekday_previous_week', weekday: 4, time: '12:00' } as const satisfies DeadlineRule;
const WEEK = { kind: 'days_before', days: 7, working: false, time: '12:00' } as const satisfies DeadlineRule;

const MATERNELLE = ['Petite section', 'Moyenne section', 'Grande section'];
const ELEMENTAIRE = ['CP', 'CE1', 'CE2', 'CM1', 'CM2'];

/**
 * The demo town's services: two schools with canteen, morning and evening care; a leisure centre
 * with Wednesdays and the Christmas holidays opening soon; enrolments, a few weeks of bookings and attendance.
 */
export async function seedServices(ctx: AppContext, agents: { animateurId: string }) {
  const { db, clock } = ctx;
  const now = clock.now();
  const today = todayIn(now);
  const year = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) < 8 ? 1 : 0);
  const y = (n: number) => String(year + n);

  const catalogue = await db.transaction().execute(async (tx) => {
    const schoolYearId = await cat.insertSchoolYear(tx, { label: `${year}-${year + 1}`, start: `${y(0)}-09-01`, end: `${y(1)}-07-03` });
    const school = (label: string, start: string, end: string) => cat.insertPeriod(tx, { schoolYearId, kind: 'school', label, start, end });
    await school('Rentrée – Toussaint', `${y(0)}-09-01`, `${y(0)}-10-16`);
    await school('Toussaint – Noël', `${y(0)}-11-02`, `${y(0)}-12-18`);
    await school('Noël – hiver', `${y(1)}-01-04`, `${y(1)}-02-12`);
    await school('Hiver – printemps', `${y(1)}-03-01`, `${y(1)}-04-09`);
    await school('Printemps – été', `${y(1)}-04-26`, `${y(1)}-07-03`);
    // Christmas: first come, first served from an opening date soon; winter: requests then a draw.
    const opening = new Date(now.getTime() + 3 * 24 * 3600_000);
    opening.setUTCHours(7, 30, 0, 0); // 8:30 in Paris in winter
    const christmas = await cat.insertPeriod(tx, { schoolYearId, kind: 'holiday', label: 'Vacances de Noël', start: `${y(0)}-12-21`, end: `${y(1)}-01-01`, bookingOpensAt: opening.toISOString() });
    await cat.insertPeriod(tx, { schoolYearId, kind: 'holiday', label: 'Vacances d\'hiver', start: `${y(1)}-02-15`, end: `${y(1)}-02-26`, allocation: 'draw', requestsCloseAt: `${y(1)}-01-15T11:00:00.000Z` });

    const facilities: { id: string; name: string; groups: { id: string; levels: string[] }[]; services: { id: string; kind: ServiceKind; name: string; units: string[] }[] }[] = [];
    for (const name of ['École Jules-Ferry', 'École Marie-Curie']) {
      const id = await cat.insertFacility(tx, { name, kind: 'school', address: name === 'École Jules-Ferry' ? '2 rue des Écoles, Beauval' : '15 avenue Jean-Jaurès, Beauval' }, now);
      const mat = await cat.insertGroup(tx, { facilityId: id, name: 'Maternelle', classLevels: MATERNELLE });
      const elem = await cat.insertGroup(tx, { facilityId: id, name: 'Élémentaire', classLevels: ELEMENTAIRE });
      if (name === 'École Jules-Ferry') {
        await cat.assignAgentToGroup(tx, agents.animateurId, elem);
        await cat.assignAgentToGroup(tx, agents.animateurId, mat);
      }
      const services = [];
      for (const [kind, label, unit, rule, places] of [
        ['canteen', 'Restauration scolaire (cantine)', 'Repas', J2, null],
        ['morning', 'Accueil du matin (garderie)', 'Matin', EVE, 30],
        ['evening', 'Accueil du soir (garderie)', 'Soir', EVE, 30],
      ] as const) {
        const serviceId = await cat.insertService(tx, { facilityId: id, kind, name: label, weekdays: [1, 2, 4, 5], bookingRule: rule, cancellationRule: rule }, now);
        const unitId = await cat.insertUnit(tx, { serviceId, label: unit, isMeal: kind === 'canteen' });
        for (const g of [mat, elem]) await cat.setCapacity(tx, unitId, g, places);
        services.push({ id: serviceId, kind: kind as ServiceKind, name: label, units: [unitId] });
      }
      facilities.push({ id, name, groups: [{ id: mat, levels: MATERNELLE }, { id: elem, levels: ELEMENTAIRE }], services });
    }
    const centre = await cat.insertFacility(tx, { name: 'Centre de loisirs Les Tilleuls', kind: 'leisure_centre', address: '3 allée des Tilleuls, Beauval' }, now);
    const all = await cat.insertGroup(tx, { facilityId: centre, name: 'Les explorateurs (3-11 ans)' });
    const wednesday = await cat.insertService(tx, { facilityId: centre, kind: 'wednesday', name: 'Mercredis au centre de loisirs', weekdays: [3], minAge: 3, maxAge: 11, bookingRule: THURSDAY, cancellationRule: THURSDAY }, now);
    const wedDay = await cat.insertUnit(tx, { serviceId: wednesday, label: 'Journée avec repas', isMeal: true, position: 0 });
    const wedHalf = await cat.insertUnit(tx, { serviceId: wednesday, label: 'Matinée sans repas', isMeal: false, position: 1 });
    await cat.setCapacity(tx, wedDay, all, 40);
    await cat.setCapacity(tx, wedHalf, all, 16);
    // A child comes for the day or for the morning, never both: the town says they do not combine.
    await cat.setExclusionGroup(tx, wednesday, [wedDay, wedHalf]);
    const holidays = await cat.insertService(tx, { facilityId: centre, kind: 'holiday', name: 'Vacances au centre de loisirs', weekdays: [1, 2, 3, 4, 5], minAge: 3, maxAge: 11, bookingRule: WEEK, cancellationRule: WEEK }, now);
    const holDay = await cat.insertUnit(tx, { serviceId: holidays, label: 'Journée avec repas', isMeal: true });
    await cat.setCapacity(tx, holDay, all, 48);
    // The leisure centre asks for the household's insurance and the child's vaccinations to enrol (issue 12).
    for (const [code, subject] of [['assurance', 'household'], ['vaccinations', 'child']] as const) {
      const type = await documentTypeByCode(tx, code);
      if (type) for (const service of [wednesday, holidays]) await setRequired(tx, service, type.id, subject, now.toISOString());
    }
    return { schoolYearId, facilities, centre: { id: centre, group: all, wednesday, wedDay, holidays }, christmas };
  });

  // Enrolments: most children at the canteen of their school, some in care, some Wednesdays; a few requests waiting.
  const children = await db
    .selectFrom('persons')
    .innerJoin('children', 'children.person_id', 'persons.id')
    .innerJoin('household_members', 'household_members.person_id', 'persons.id')
    .select(['persons.id', 'persons.first_name', 'children.school', 'children.class_level', 'household_members.household_id'])
    .where('persons.kind', '=', 'child')
    .orderBy('persons.id')
    .execute();
  const seen = new Set<string>();
  let n = 0;
  const accepted: { childId: string; householdId: string; serviceId: string; unitId: string; groupId: string; kind: ServiceKind }[] = [];
  await db.transaction().execute(async (tx) => {
    for (const c of children) {
      if (seen.has(c.id) || !c.school) continue;
      seen.add(c.id);
      n++;
      const facility = catalogue.facilities.find((f) => f.name === c.school);
      if (!facility) continue;
      const group = facility.groups.find((g) => g.levels.includes(c.class_level ?? '')) ?? facility.groups[1];
      const wanted = facility.services.filter((s) => s.kind === 'canteen' || (s.kind === 'morning' && n % 3 === 0) || (s.kind === 'evening' && n % 2 === 0));
      for (const s of wanted) {
        const status = n % 11 === 5 ? 'submitted' : 'accepted';
        await enrol(tx, c.household_id, c.id, s.id, catalogue.schoolYearId, group.id, status, enrolmentSummary(c.first_name, s.name, facility.name, `${year}-${year + 1}`), now);
        if (status === 'accepted') accepted.push({ childId: c.id, householdId: c.household_id, serviceId: s.id, unitId: s.units[0], groupId: group.id, kind: s.kind });
      }
      if (n % 4 === 0) {
        await enrol(tx, c.household_id, c.id, catalogue.centre.wednesday, catalogue.schoolYearId, catalogue.centre.group, 'accepted', `${c.first_name} aux mercredis au centre de loisirs`, now);
        accepted.push({ childId: c.id, householdId: c.household_id, serviceId: catalogue.centre.wednesday, unitId: catalogue.centre.wedDay, groupId: catalogue.centre.group, kind: 'wednesday' });
        await enrol(tx, c.household_id, c.id, catalogue.centre.holidays, catalogue.schoolYearId, catalogue.centre.group, 'accepted', `${c.first_name} aux vacances au centre de loisirs`, now);
      }
    }
  });

  // Three weeks back (and at least the whole previous month, which the demo invoices) and two weeks
  // ahead of bookings on the usual days, with attendance taken on past days.
  const previousMonthStart = `${previousMonth(today.slice(0, 7))}-01`;
  const from = shift(today, -21) < previousMonthStart ? shift(today, -21) : previousMonthStart;
  const to = shift(today, 14);
  const periods = await bookingsRepo.periodsBetween(db, from, to);
  await db.transaction().execute(async (tx) => {
    let k = 0;
    for (const e of accepted) {
      const weekdays = e.kind === 'wednesday' ? [3] : [1, 2, 4, 5];
      for (const day of daysBetween(from, to)) {
        if (!weekdays.includes(weekday(day)) || !isWorkingDay(day)) continue;
        if (!periods.some((p) => p.kind === 'school' && p.start_date <= day && p.end_date >= day)) continue;
        if ((k++ % 13) === 0) continue; // not every family books every day
        const slotId = await bookingsRepo.ensureSlot(tx, e.unitId, e.groupId, day);
        if (!(await bookingsRepo.takePlace(tx, slotId))) continue;
        const id = await bookingsRepo.writeBooking(tx, { childId: e.childId, householdId: e.householdId, serviceId: e.serviceId, unitId: e.unitId, slotId, day, status: 'booked', waitingRank: null, override: false }, now);
        if (day < today) {
          const attendance = k % 17 === 0 ? 'absent_unjustified' : k % 23 === 0 ? 'absent_justified' : 'present';
          await tx.updateTable('bookings').set({ attendance, attendance_at: `${day}T17:00:00.000Z` }).where('id', '=', id).execute();
        }
      }
    }
  });
  return catalogue;
}

const shift = (day: string, n: number) => new Date(Date.parse(`${day}T12:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

async function enrol(tx: Parameters<typeof cat.insertFacility>[0], householdId: string, childId: string, serviceId: string, schoolYearId: string, groupId: string, status: 'accepted' | 'submitted', summary: string, now: Date) {
  const requestId = newId();
  const at = now.toISOString();
  await tx.insertInto('requests').values({ id: requestId, reference: `D-${now.getUTCFullYear()}-${String(await nextCounter(tx, `request-${now.getUTCFullYear()}`)).padStart(6, '0')}`, type: 'enrolment', household_id: householdId, subject_person_id: childId, status, summary, created_at: at, updated_at: at }).execute();
  await tx.insertInto('request_events').values({ id: newId(), request_id: requestId, at, actor_id: null, actor_label: 'Service enfance', from_status: null, to_status: status, note: null }).execute();
  await tx.insertInto('enrolments').values({ id: newId(), request_id: requestId, child_person_id: childId, service_id: serviceId, school_year_id: schoolYearId, group_id: status === 'accepted' ? groupId : null, status, created_at: at }).execute();
}
