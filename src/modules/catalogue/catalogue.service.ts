import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { schoolLists } from '../households/households.shared-service.ts';
import { exclusionError, publicHolidaysBetween } from './catalogue.domain.ts';
import * as repo from './catalogue.repository.ts';
import { lockedDays } from '../../platform/db/billing-locks.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { allocateByDraw } from './catalogue.draw-service.ts';
import type { CatalogueRefusal, DrawRefusal } from './catalogue.outcomes.ts';

export type Outcome<T = string> = Result<T, CatalogueRefusal>;

export interface FacilityData {
  name: string;
  kind: 'school' | 'leisure_centre';
  address: string;
}
export interface GroupData {
  name: string;
  classLevels: string[];
}
export interface UnitData {
  label: string;
  isMeal: boolean;
}
export interface YearData {
  label: string;
  start: string;
  end: string;
}
export type PeriodData = Omit<repo.PeriodInput, 'schoolYearId'>;
export interface ClosureData {
  day: string;
  facilityId: string;
  serviceId: string | null;
  reason: string;
}

/**
 * What the catalogue asks of the bookings module when a day is closed or a period drawn. The composition
 * root (src/app.ts) passes the bookings service in: bookings depends on the catalogue, never the reverse.
 */
export interface CatalogueBookings {
  closeDay(auth: Auth | null, input: ClosureData): Promise<{ cancelled: number; households: number }>;
}

/**
 * The catalogue's back office (roles admin and enfance): facilities, groups and their animators, services,
 * units and capacities, school years, periods and closed days. Every change writes an audit row.
 */
export function catalogueService(ctx: AppContext, bookings: CatalogueBookings) {
  const { db, clock } = ctx;
  function guard(auth: Auth | null): asserts auth is Auth {
    assertRole(auth, 'admin', 'enfance');
  }

  /** One transaction for the change and its trace. */
  async function change<T>(auth: Auth, action: string, work: (tx: Executor, now: Date) => Promise<T>, trace: (value: T) => [targetId: string | null, summary: string]): Promise<T> {
    const now = clock.now();
    return db.transaction().execute(async (tx) => {
      const value = await work(tx, now);
      const [targetId, summary] = trace(value);
      await writeAudit(tx, now, actorOf(auth), { action: `catalogue.${action}`, targetType: 'catalogue', targetId, summary });
      return value;
    });
  }

  async function mustFacility(id: string) {
    const f = await repo.findFacility(db, id);
    if (!f) throw new NotFoundError();
    return f;
  }
  async function mustGroup(id: string) {
    const g = await repo.findGroup(db, id);
    if (!g) throw new NotFoundError();
    return g;
  }
  async function mustService(id: string) {
    const s = await repo.findService(db, id);
    if (!s) throw new NotFoundError();
    return s;
  }
  async function mustYear(id: string) {
    const y = await repo.findSchoolYear(db, id);
    if (!y) throw new NotFoundError();
    return y;
  }
  async function mustPeriod(id: string) {
    const p = await repo.findPeriod(db, id);
    if (!p) throw new NotFoundError();
    return p;
  }

  const unknownLevels = async (levels: string[]) => {
    const { classLevels } = await schoolLists(db);
    return levels.some((l) => !classLevels.includes(l));
  };

  async function checkYear(data: YearData, exceptId: string | null): Promise<CatalogueRefusal | null> {
    const same = await repo.schoolYearByLabel(db, data.label);
    return same && same.id !== exceptId ? 'year_label_taken' : null;
  }

  function checkPeriod(year: { start_date: string; end_date: string }, data: PeriodData): CatalogueRefusal | null {
    if (data.start < year.start_date || data.start > year.end_date) return 'period_starts_outside_year';
    if (data.end > year.end_date) return 'period_ends_after_year';
    return null;
  }

  return {
    /** For pages that show an empty form: the same roles as the changes. */
    assertCanManage(auth: Auth | null): void {
      guard(auth);
    },

    async classLevels(auth: Auth | null) {
      guard(auth);
      return (await schoolLists(db)).classLevels;
    },

    /** Facilities with their groups and services, and the school years: four queries whatever the size. */
    async overview(auth: Auth | null) {
      guard(auth);
      const [facilities, groups, services, years] = await Promise.all([repo.listFacilities(db), repo.listGroups(db), repo.listServices(db), repo.listSchoolYears(db)]);
      return {
        facilities: facilities.map((f) => ({ ...f, groups: groups.filter((g) => g.facility_id === f.id), services: services.filter((s) => s.facility_id === f.id) })),
        years,
      };
    },

    async facilities(auth: Auth | null) {
      guard(auth);
      return repo.listFacilities(db);
    },

    async facility(auth: Auth | null, id: string) {
      guard(auth);
      return mustFacility(id);
    },

    async createFacility(auth: Auth | null, data: FacilityData) {
      guard(auth);
      return change(auth, 'facility.created', (tx, now) => repo.insertFacility(tx, data, now), (id) => [id, `Structure créée : ${data.name}`]);
    },

    async updateFacility(auth: Auth | null, id: string, data: FacilityData) {
      guard(auth);
      await mustFacility(id);
      await change(auth, 'facility.updated', (tx) => repo.updateFacility(tx, id, data), () => [id, `Structure modifiée : ${data.name}`]);
    },

    async createGroup(auth: Auth | null, facilityId: string, data: GroupData): Promise<Outcome> {
      guard(auth);
      const facility = await mustFacility(facilityId);
      if (await unknownLevels(data.classLevels)) return fail('unknown_levels');
      const id = await change(auth, 'group.created', (tx) => repo.insertGroup(tx, { facilityId, ...data }), (gid) => [gid, `Groupe créé : ${data.name} (${facility.name})`]);
      return ok(id);
    },

    /** A group, its facility, the animators who may be assigned and those who are. */
    async group(auth: Auth | null, id: string) {
      guard(auth);
      const group = await mustGroup(id);
      const [animators, assigned] = await Promise.all([repo.listAnimators(db), repo.agentsOfGroup(db, id)]);
      return { group, animators, assigned };
    },

    async updateGroup(auth: Auth | null, id: string, data: GroupData): Promise<Outcome<null>> {
      guard(auth);
      const group = await mustGroup(id);
      if (await unknownLevels(data.classLevels)) return fail('unknown_levels');
      await change(auth, 'group.updated', (tx) => repo.updateGroup(tx, id, data), () => [id, `Groupe modifié : ${data.name} (${group.facility_name})`]);
      return ok(null);
    },

    /** The animators of a group: only agents holding the role animateur can be assigned. */
    async setAnimators(auth: Auth | null, groupId: string, userIds: string[]) {
      guard(auth);
      const group = await mustGroup(groupId);
      const animators = await repo.listAnimators(db);
      const ids = animators.map((a) => a.id);
      const selected = [...new Set(userIds)].filter((u) => ids.includes(u));
      const names = animators.filter((a) => selected.includes(a.id)).map((a) => `${a.first_name} ${a.last_name}`);
      await change(auth, 'group.animators', (tx) => repo.setGroupAnimators(tx, groupId, selected, ids), () => [groupId, `Animateurs du groupe ${group.name} (${group.facility_name}) : ${names.join(', ') || 'aucun'}`]);
      return selected.length;
    },

    async createService(auth: Auth | null, data: repo.ServiceInput): Promise<Outcome> {
      guard(auth);
      const facility = await repo.findFacility(db, data.facilityId);
      if (!facility) return fail('unknown_facility');
      if (await unknownLevels(data.classLevels ?? [])) return fail('unknown_levels');
      const id = await change(auth, 'service.created', (tx, now) => repo.insertService(tx, data, now), (sid) => [sid, `Prestation créée : ${data.name} (${facility.name})`]);
      return ok(id);
    },

    /** A service with its units, the groups of its facility and the capacities per unit × group. */
    async service(auth: Auth | null, id: string) {
      guard(auth);
      const service = await mustService(id);
      const [units, groups] = await Promise.all([repo.unitsOfService(db, id), repo.groupsOfFacility(db, service.facility_id)]);
      const capacities = await repo.capacitiesOfUnits(db, units.map((u) => u.id));
      const capacity = (unitId: string, groupId: string) => capacities.find((c) => c.unit_id === unitId && c.group_id === groupId)?.places ?? null;
      return { service, units, groups, capacity };
    },

    async updateService(auth: Auth | null, id: string, data: repo.ServiceInput): Promise<Outcome<null>> {
      guard(auth);
      const service = await mustService(id);
      const facility = await repo.findFacility(db, data.facilityId);
      if (!facility) return fail('unknown_facility');
      // Units have capacities per group of the facility: a service with units stays where it is.
      if (facility.id !== service.facility_id && (await repo.unitsOfService(db, id)).length > 0) return fail('facility_locked');
      if (await unknownLevels(data.classLevels ?? [])) return fail('unknown_levels');
      await change(auth, 'service.updated', (tx) => repo.updateService(tx, id, data), () => [id, `Prestation modifiée : ${data.name} (${facility.name})`]);
      return ok(null);
    },

    async createUnit(auth: Auth | null, serviceId: string, data: UnitData) {
      guard(auth);
      const service = await mustService(serviceId);
      const position = await repo.nextUnitPosition(db, serviceId);
      return change(auth, 'unit.created', (tx) => repo.insertUnit(tx, { serviceId, ...data, position }), (id) => [id, `Unité créée : ${data.label} (${service.name}, ${service.facility_name})`]);
    },

    async unit(auth: Auth | null, id: string) {
      guard(auth);
      const unit = await repo.findUnit(db, id);
      if (!unit) throw new NotFoundError();
      return { unit, service: await mustService(unit.service_id) };
    },

    async updateUnit(auth: Auth | null, id: string, data: UnitData) {
      const { unit, service } = await this.unit(auth, id);
      await change(auth!, 'unit.updated', (tx) => repo.updateUnit(tx, id, data), () => [id, `Unité modifiée : ${data.label} (${service.name}, ${service.facility_name})`]);
      return unit.service_id;
    },

    /** Places per unit × group; null = unlimited. Only units of this service and groups of its facility. */
    async setCapacities(auth: Auth | null, serviceId: string, entries: { unitId: string; groupId: string; places: number | null }[]) {
      const { service, units, groups } = await this.service(auth, serviceId);
      const valid = entries.filter((e) => units.some((u) => u.id === e.unitId) && groups.some((g) => g.id === e.groupId));
      const summary = valid.map((e) => `${units.find((u) => u.id === e.unitId)!.label} × ${groups.find((g) => g.id === e.groupId)!.name} : ${e.places ?? 'illimité'}`).join(' ; ');
      await change(auth!, 'capacities.updated', async (tx) => {
        for (const e of valid) await repo.setCapacity(tx, e.unitId, e.groupId, e.places);
      }, () => [serviceId, `Capacités de ${service.name} (${service.facility_name}) : ${summary || 'aucune'}`]);
    },

    /**
     * The units of a service that exclude each other on a day (none, or two or more): a family
     * books one of them, never both. Bookings already made stay as they are.
     */
    async setExclusiveUnits(auth: Auth | null, serviceId: string, unitIds: string[]): Promise<Result<null, CatalogueRefusal>> {
      const { service, units } = await this.service(auth, serviceId);
      const error = exclusionError(unitIds, units.map((u) => u.id));
      if (error) return fail(error);
      const chosen = units.filter((u) => unitIds.includes(u.id));
      await change(auth!, 'units.exclusive', (tx) => repo.setExclusionGroup(tx, serviceId, chosen.map((u) => u.id)), () => [
        serviceId,
        `Unités qui ne se cumulent pas, ${service.name} (${service.facility_name}) : ${chosen.map((u) => u.label).join(', ') || 'aucune'}`,
      ]);
      return ok(null);
    },

    async years(auth: Auth | null) {
      guard(auth);
      return repo.listSchoolYears(db);
    },

    async year(auth: Auth | null, id: string) {
      guard(auth);
      return mustYear(id);
    },

    async createYear(auth: Auth | null, data: YearData): Promise<Outcome> {
      guard(auth);
      const refusal = await checkYear(data, null);
      if (refusal) return fail(refusal);
      const id = await change(auth, 'year.created', (tx) => repo.insertSchoolYear(tx, data), (yid) => [yid, `Année scolaire créée : ${data.label}`]);
      return ok(id);
    },

    async updateYear(auth: Auth | null, id: string, data: YearData): Promise<Outcome<null>> {
      guard(auth);
      await mustYear(id);
      const refusal = await checkYear(data, id);
      if (refusal) return fail(refusal);
      await change(auth, 'year.updated', (tx) => repo.updateSchoolYear(tx, id, data), () => [id, `Année scolaire modifiée : ${data.label} (du ${data.start} au ${data.end})`]);
      return ok(null);
    },

    /** The calendar of a school year: its periods, the public holidays (computed) and the closed days. */
    async calendar(auth: Auth | null, yearId: string) {
      guard(auth);
      const year = await mustYear(yearId);
      const [periods, closures] = await Promise.all([repo.listPeriods(db, yearId), repo.closuresBetweenNamed(db, year.start_date, year.end_date)]);
      return { year, periods, closures, holidays: publicHolidaysBetween(year.start_date, year.end_date) };
    },

    async period(auth: Auth | null, id: string) {
      guard(auth);
      const period = await mustPeriod(id);
      const year = await mustYear(period.school_year_id);
      const now = clock.now();
      const drawOpen = period.allocation === 'draw' && !period.allocated_at && !!period.requests_close_at && now.getTime() >= Date.parse(period.requests_close_at);
      return { period, year, drawOpen };
    },

    async createPeriod(auth: Auth | null, yearId: string, data: PeriodData): Promise<Outcome> {
      guard(auth);
      const year = await mustYear(yearId);
      const refusal = checkPeriod(year, data);
      if (refusal) return fail(refusal);
      const id = await change(auth, 'period.created', (tx) => repo.insertPeriod(tx, { schoolYearId: yearId, ...data }), (pid) => [pid, `Période créée : ${data.label} (${year.label}, du ${data.start} au ${data.end})`]);
      return ok(id);
    },

    async updatePeriod(auth: Auth | null, id: string, data: PeriodData): Promise<Outcome<null>> {
      guard(auth);
      const period = await mustPeriod(id);
      const year = await mustYear(period.school_year_id);
      if (period.allocated_at && (data.allocation !== period.allocation || data.requestsCloseAt !== period.requests_close_at || (data.drawMode ?? 'day') !== period.draw_mode)) return fail('period_drawn');
      const refusal = checkPeriod(year, data);
      if (refusal) return fail(refusal);
      await change(auth, 'period.updated', (tx) => repo.updatePeriod(tx, id, data), () => [id, `Période modifiée : ${data.label} (${year.label}, du ${data.start} au ${data.end})`]);
      return ok(null);
    },

    /** Facilities and their services, for the closure form. */
    async closureChoices(auth: Auth | null) {
      guard(auth);
      const [facilities, services] = await Promise.all([repo.listFacilities(db), repo.listServices(db)]);
      return { facilities, services };
    },

    /** What closing a day would do, for the « Vérifiez » page; nothing changes yet. */
    async previewClosure(auth: Auth | null, data: ClosureData): Promise<Outcome<{ facilityName: string; serviceName: string | null; bookings: number; households: number }>> {
      guard(auth);
      const facility = await repo.findFacility(db, data.facilityId);
      if (!facility) return fail('unknown_facility');
      let serviceName: string | null = null;
      if (data.serviceId) {
        const service = await repo.findService(db, data.serviceId);
        if (!service || service.facility_id !== facility.id) return fail('service_not_of_facility');
        serviceName = service.name;
      }
      // A day already invoiced stays as billed: closing it would cancel bookings an issued invoice charges.
      const services = (await repo.listServices(db)).filter((s) => s.facility_id === facility.id && (!data.serviceId || s.id === data.serviceId));
      if ((await lockedDays(db, services.map((s) => ({ serviceId: s.id, day: data.day })), clock.today())).size > 0) return fail('day_invoiced');
      const counts = await repo.bookingsToClose(db, data.day, facility.id, data.serviceId);
      return ok({ facilityName: facility.name, serviceName, ...counts });
    },

    /** Closing a day: the bookings service cancels its bookings without charge and tells the families. */
    async closeDay(auth: Auth | null, data: ClosureData) {
      const preview = await this.previewClosure(auth, data);
      if (!preview.ok) return preview;
      return ok(await bookings.closeDay(auth, data));
    },

    /** The draw runs only for a « draw » period, once requests are closed, and once (the allocation itself: catalogue.draw-service.ts). */
    async draw(auth: Auth | null, periodId: string): Promise<Result<{ booked: number; waiting: number; households: number }, DrawRefusal>> {
      guard(auth);
      const period = await mustPeriod(periodId);
      if (period.allocation !== 'draw') return fail('not_draw');
      if (period.allocated_at) return fail('already_drawn');
      if (!period.requests_close_at) return fail('no_close_date');
      const now = clock.now();
      if (now.getTime() < Date.parse(period.requests_close_at)) return fail('requests_open');
      return allocateByDraw(ctx, auth, period, now);
    },
  };
}

export type CatalogueService = ReturnType<typeof catalogueService>;
