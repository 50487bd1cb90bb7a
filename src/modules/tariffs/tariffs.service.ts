import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { formatDateLong } from '../../platform/format.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { normaliseSearch } from '../households/households.domain.ts';
import type { TariffLine } from './tariffs.domain.ts';
import type { TariffRefusal } from './tariffs.outcomes.ts';
import { toVersions } from './tariffs.shared-service.ts';
import * as repo from './tariffs.repository.ts';

/** Who sets tariffs: the régie and administrators. */
function assertTariffRole(auth: Auth | null): asserts auth is Auth {
  assertRole(auth, 'admin', 'regie');
}

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

const toRows = (lines: readonly TariffLine[]): repo.NewLine[] =>
  lines.map((l) => ({ qf_min: l.qfMin, qf_max: l.qfMax, residency: l.residency, rank_min: l.rankMin, rank_max: l.rankMax, amount_cents: l.amountCents, category: l.category, is_default: l.isDefault ? 1 : 0 }));

export interface Target {
  value: string;
  label: string;
  serviceId: string;
  unitId: string | null;
  serviceKind: string;
  unitLabel: string | null;
}

/** « Restauration scolaire, École Jules-Ferry » and its units, as choices of the version form. */
export function targetsOf(rows: Awaited<ReturnType<typeof repo.servicesAndUnits>>): Target[] {
  const targets: Target[] = [];
  for (const r of rows) {
    const service = `${r.service_name}, ${r.facility_name}`;
    if (!targets.some((t) => t.value === `service:${r.service_id}`)) targets.push({ value: `service:${r.service_id}`, label: `${service} — toutes les unités`, serviceId: r.service_id, unitId: null, serviceKind: r.kind, unitLabel: null });
    if (r.unit_id) targets.push({ value: `unit:${r.unit_id}`, label: `${service} — ${r.unit_label} seulement`, serviceId: r.service_id, unitId: r.unit_id, serviceKind: r.kind, unitLabel: r.unit_label });
  }
  return targets;
}

export function tariffsService(ctx: AppContext) {
  const { db, clock } = ctx;

  async function choices() {
    const [rows, years] = await Promise.all([repo.servicesAndUnits(db), repo.schoolYears(db)]);
    return { targets: targetsOf(rows), years };
  }

  return {
    choices,

    /** The back office's overview: every version by service, the places of residence. */
    async overview(auth: Auth | null) {
      assertTariffRole(auth);
      const [{ targets, years }, rows, places] = await Promise.all([choices(), repo.allVersions(db), repo.residentPlaces(db)]);
      const versions = toVersions(rows, await repo.linesOfVersions(db, rows.map((r) => r.id)));
      const yearLabel = new Map(rows.map((r) => [r.id, years.find((y) => y.id === r.school_year_id)?.label ?? '']));
      const label = (serviceId: string, unitId: string | null) => targets.find((t) => t.serviceId === serviceId && t.unitId === unitId)?.label ?? 'Prestation retirée';
      return { versions: versions.map((v) => ({ ...v, label: label(v.serviceId, v.unitId), yearLabel: yearLabel.get(v.id) ?? '' })), places, hasTargets: targets.length > 0 };
    },

    async version(auth: Auth | null, id: string) {
      assertTariffRole(auth);
      const row = await repo.findVersion(db, id);
      if (!row) throw new NotFoundError();
      const [version] = toVersions([row], await repo.linesOfVersions(db, [id]));
      const { targets } = await choices();
      const target = targets.find((t) => t.serviceId === row.service_id && t.unitId === row.unit_id);
      return { version, label: target?.label ?? 'Prestation retirée', target: target?.value ?? '', schoolYearId: row.school_year_id, yearLabel: row.year_label };
    },

    /** A new version from a date; the unique key refuses a second version of the same first day. */
    async createVersion(auth: Auth | null, input: { target: string; schoolYearId: string; appliesFrom: string; presentWithoutBookingCents: number; lateCancellationCents: number; lines: TariffLine[] }): Promise<Result<string, TariffRefusal>> {
      assertTariffRole(auth);
      const { targets, years } = await choices();
      const target = targets.find((t) => t.value === input.target);
      if (!target) return fail('unknown_target');
      const year = years.find((y) => y.id === input.schoolYearId);
      if (!year) return fail('unknown_year');
      if (input.appliesFrom < year.start_date || input.appliesFrom > year.end_date) return fail('outside_year');
      try {
        const id = await db.transaction().execute(async (tx) => {
          const now = clock.now();
          const versionId = await repo.insertVersion(tx, { serviceId: target.serviceId, unitId: target.unitId, schoolYearId: year.id, appliesFrom: input.appliesFrom, presentWithoutBookingCents: input.presentWithoutBookingCents, lateCancellationCents: input.lateCancellationCents, createdBy: auth.user.id }, toRows(input.lines), now);
          await writeAudit(tx, now, actorOf(auth), { action: 'tariff.version_created', targetType: 'tariff_version', targetId: versionId, summary: `Tarif créé : ${target.label}, à partir du ${formatDateLong(input.appliesFrom)}` });
          return versionId;
        });
        return ok(id);
      } catch (err) {
        if (isUniqueViolation(err)) return fail('version_exists');
        throw err;
      }
    },

    /** Changes the lines and surcharges of a version no issued invoice used; a locked one is refused. */
    async updateVersion(auth: Auth | null, id: string, input: { presentWithoutBookingCents: number; lateCancellationCents: number; lines: TariffLine[] }): Promise<Result<string, TariffRefusal>> {
      assertTariffRole(auth);
      const row = await repo.findVersion(db, id);
      if (!row) throw new NotFoundError();
      const changed = await db.transaction().execute(async (tx) => {
        const now = clock.now();
        if (!(await repo.replaceUnlockedVersion(tx, id, input, toRows(input.lines), now))) return false;
        await writeAudit(tx, now, actorOf(auth), { action: 'tariff.version_updated', targetType: 'tariff_version', targetId: id, summary: `Tarif modifié : version du ${formatDateLong(row.applies_from)}` });
        return true;
      });
      return changed ? ok(id) : fail('version_locked');
    },

    async places(auth: Auth | null) {
      assertTariffRole(auth);
      return repo.residentPlaces(db);
    },

    async setPlaces(auth: Auth | null, places: readonly { postcode: string; city: string }[]) {
      assertTariffRole(auth);
      const unique = new Map(places.map((p) => [`${p.postcode}|${normaliseSearch(p.city)}`, { postcode: p.postcode, city_key: normaliseSearch(p.city), city: p.city }]));
      await db.transaction().execute(async (tx) => {
        await repo.replaceResidentPlaces(tx, [...unique.values()]);
        await writeAudit(tx, clock.now(), actorOf(auth), { action: 'tariff.places_set', targetType: 'tariff_settings', targetId: null, summary: `Communes de résidence : ${[...unique.values()].map((p) => `${p.postcode} ${p.city}`).join(', ') || 'aucune'}` });
      });
    },
  };
}

export type TariffsService = ReturnType<typeof tariffsService>;
