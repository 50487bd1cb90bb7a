import type { AppContext } from '../../platform/context.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { addressesOfHouseholds, quotientsOfHouseholds } from '../households/households.shared-service.ts';
import { explainVersion, quotientInForce, type TariffVersion } from './tariffs.domain.ts';
import { residencyRule, toVersions } from './tariffs.shared-service.ts';
import * as repo from './tariffs.repository.ts';

export interface ExplainedService {
  label: string;
  appliesFrom: string;
  presentWithoutBookingCents: number;
  lateCancellationCents: number;
  lines: ReturnType<typeof explainVersion>;
}

/**
 * What families read about prices: their household's brackets (« Combien vais-je payer ? ») and the
 * public simulator. Both explain the versions in force today, one per service and unit, in a fixed
 * number of queries.
 */
export function tariffPricesService(ctx: AppContext) {
  const { db, clock } = ctx;

  /** The versions in force today, each named by its service (and unit). */
  async function inForce(today: string) {
    const [rows, targets] = await Promise.all([repo.versionsForPeriod(db, today, today), repo.servicesAndUnits(db)]);
    const current = rows.filter((r) => r.applies_from <= today && r.applies_until >= today);
    // The latest first day per service and unit: earlier versions are history.
    const latest = new Map<string, (typeof current)[number]>();
    for (const r of current) if ((latest.get(`${r.service_id}|${r.unit_key}`)?.applies_from ?? '') < r.applies_from) latest.set(`${r.service_id}|${r.unit_key}`, r);
    const chosen = [...latest.values()];
    const versions = toVersions(chosen, await repo.linesOfVersions(db, chosen.map((r) => r.id)));
    const nameOf = (v: TariffVersion) => {
      const t = targets.find((x) => x.service_id === v.serviceId && (v.unitId === null || x.unit_id === v.unitId));
      return t ? (v.unitId ? `${t.service_name}, ${t.unit_label?.toLowerCase()} — ${t.facility_name}` : `${t.service_name} — ${t.facility_name}`) : null;
    };
    return versions.flatMap((v) => {
      const label = nameOf(v);
      return label ? [{ version: v, label }] : [];
    }).sort((a, b) => a.label.localeCompare(b.label, 'fr'));
  }

  const explain = (versions: Awaited<ReturnType<typeof inForce>>, facts: { quotient: number | null; resident: boolean }): ExplainedService[] =>
    versions.map(({ version, label }) => ({ label, appliesFrom: version.appliesFrom, presentWithoutBookingCents: version.presentWithoutBookingCents, lateCancellationCents: version.lateCancellationCents, lines: explainVersion(version, facts) }));

  return {
    /** The household's QF in force today, its residency, and each service's lines with the ones that apply to it. */
    async ofHousehold(actor: FamilyActor) {
      const today = clock.today();
      const [versions, quotients, addresses, places] = await Promise.all([inForce(today), quotientsOfHouseholds(db, [actor.householdId], today.slice(0, 7)), addressesOfHouseholds(db, [actor.householdId]), repo.residentPlaces(db)]);
      const quotient = quotientInForce(quotients, today);
      const resident = residencyRule(places)(addresses[0]);
      return { quotient: quotient && { value: quotient.value_eur, from: quotient.reference_month, source: quotient.source }, resident, services: explain(versions, { quotient: quotient?.value_eur ?? null, resident }) };
    },

    /** For someone without an account: a typed QF (or none) and whether they live in the town. */
    async simulate(input: { quotient: number | null; resident: boolean }) {
      return explain(await inForce(clock.today()), input);
    },

    /** The town's places of residence, for the simulator's question. */
    async places() {
      return repo.residentPlaces(db);
    },
  };
}

export type TariffPricesService = ReturnType<typeof tariffPricesService>;
