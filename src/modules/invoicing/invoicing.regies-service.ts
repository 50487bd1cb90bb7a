import type { AppContext } from '../../platform/context.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { hasRole, type Auth } from '../../platform/http/auth-types.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { regieForMonth, regiesConcernedByMove, type MoveRefusal } from './invoicing.domain.ts';
import { REGIE_AUDIT, type RegieRefusal } from './invoicing.outcomes.ts';
import * as repo from './invoicing.repository.ts';

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

/** A régie's name as typed: spaces trimmed and collapsed. */
export const REGIE_NAME_MAX = 80;
export const cleanRegieName = (name: string) => name.trim().replace(/\s+/g, ' ');

/**
 * The town's régies and which one invoices each service (README « Régies »): `admin` creates,
 * renames and moves services from a month; `regie` reads. Each change is audited.
 */
export function invoicingRegiesAdmin(ctx: AppContext) {
  const { db, clock } = ctx;

  return {
    /** Every régie, every service with the régie that invoices it this month and its planned moves. */
    async overview(auth: Auth | null) {
      assertRole(auth, 'admin', 'regie');
      const month = clock.today().slice(0, 7);
      const [regies, { services, assignments }] = await Promise.all([repo.regies(db), repo.servicesWithRegies(db)]);
      const rows = services.map((s) => {
        const own = assignments.filter((a) => a.service_id === s.id);
        return { id: s.id, name: s.name, active: s.active === 1, regieId: regieForMonth(s.regie_id ?? '', own, month), planned: own.filter((a) => a.from_month > month) };
      });
      return { month, canEdit: hasRole(auth.user, 'admin'), regies: regies.map((r) => ({ ...r, services: rows.filter((s) => s.regieId === r.id).length })), services: rows };
    },

    /** A régie to rename (`admin`). */
    async regie(auth: Auth | null, id: string) {
      assertRole(auth, 'admin');
      const r = await repo.regie(db, id);
      if (!r) throw new NotFoundError();
      return r;
    },

    /** One service's régies over time, for the move form (`admin`). */
    async service(auth: Auth | null, serviceId: string) {
      assertRole(auth, 'admin');
      const found = await repo.serviceAssignments(db, serviceId);
      if (!found) throw new NotFoundError();
      const month = clock.today().slice(0, 7);
      const [regies, lastStarted] = await Promise.all([repo.regies(db), repo.lastStartedMonths(db)]);
      return { month, service: found.service, base: found.service.regie_id ?? '', assignments: found.assignments, current: regieForMonth(found.service.regie_id ?? '', found.assignments, month), regies, lastStarted };
    },

    async create(auth: Auth | null, rawName: string): Promise<Result<{ id: string; name: string }, RegieRefusal>> {
      assertRole(auth, 'admin');
      const name = cleanRegieName(rawName);
      const now = clock.now();
      try {
        return await db.transaction().execute(async (tx): Promise<Result<{ id: string; name: string }, RegieRefusal>> => {
          if (await repo.regieByName(tx, name)) return fail('name_taken');
          const id = await repo.insertRegie(tx, name, now);
          await writeAudit(tx, now, actorOf(auth), { action: 'invoicing.regie_created', targetType: 'regie', targetId: id, summary: REGIE_AUDIT.created(name) });
          return ok({ id, name });
        });
      } catch (err) {
        // Two agents creating the same name at once: the unique index decides.
        if (isUniqueViolation(err)) return fail('name_taken');
        throw err;
      }
    },

    async rename(auth: Auth | null, id: string, rawName: string): Promise<Result<{ name: string }, RegieRefusal>> {
      assertRole(auth, 'admin');
      const name = cleanRegieName(rawName);
      const now = clock.now();
      try {
        return await db.transaction().execute(async (tx): Promise<Result<{ name: string }, RegieRefusal>> => {
          const before = await repo.regie(tx, id);
          if (!before) throw new NotFoundError();
          const same = await repo.regieByName(tx, name);
          if (same && same.id !== id) return fail('name_taken');
          if (before.name === name) return ok({ name });
          await repo.renameRegie(tx, id, name);
          await writeAudit(tx, now, actorOf(auth), { action: 'invoicing.regie_renamed', targetType: 'regie', targetId: id, summary: REGIE_AUDIT.renamed(before.name, name) });
          return ok({ name });
        });
      } catch (err) {
        if (isUniqueViolation(err)) return fail('name_taken');
        throw err;
      }
    },

    /**
     * The service is invoiced by `regieId` from `fromMonth` on (later moves replaced). Refused while a
     * run of a régie concerned, for that month or later, has a draft or was issued (domain rule).
     * The régies are locked first (PostgreSQL): a draft of one of them waits for the move, or the
     * move waits for the draft and then sees it.
     */
    async moveService(auth: Auth | null, serviceId: string, regieId: string, fromMonth: string): Promise<Result<{ service: string; regie: string }, MoveRefusal>> {
      assertRole(auth, 'admin');
      const now = clock.now();
      return db.transaction().execute(async (tx): Promise<Result<{ service: string; regie: string }, MoveRefusal>> => {
        const regies = await repo.regies(tx);
        await repo.lockRegies(tx, regies.map((r) => r.id));
        const target = regies.find((r) => r.id === regieId);
        const found = await repo.serviceAssignments(tx, serviceId);
        if (!found || !target) throw new NotFoundError();
        const base = found.service.regie_id ?? '';
        const concerned = regiesConcernedByMove(base, found.assignments, regieId, fromMonth);
        if (concerned.unchanged) return fail('unchanged');
        if ((await repo.startedRunsFrom(tx, concerned.regies, fromMonth)).length > 0) return fail('runs_started');
        const before = regies.find((r) => r.id === regieForMonth(base, found.assignments, fromMonth));
        await repo.assignFrom(tx, serviceId, regieId, fromMonth, auth.user.id, now);
        await writeAudit(tx, now, actorOf(auth), { action: 'invoicing.service_regie', targetType: 'service', targetId: serviceId, summary: REGIE_AUDIT.moved(found.service.name, before?.name ?? '?', target.name, fromMonth) });
        return ok({ service: found.service.name, regie: target.name });
      });
    },
  };
}

export type InvoicingRegiesAdmin = ReturnType<typeof invoicingRegiesAdmin>;
