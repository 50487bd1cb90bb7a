import type { AppContext } from '../platform/context.ts';
import type { Auth } from '../platform/http/auth-types.ts';
import { tariffsService } from '../modules/tariffs/tariffs.service.ts';
import { parseAmountCents, type PriceCategory, type TariffLine } from '../modules/tariffs/tariffs.domain.ts';
import { DemoSeedError, must } from './steps.ts';

const euros = (text: string) => {
  const cents = parseAmountCents(text);
  if (cents === null) throw new DemoSeedError('tarifs', `montant illisible ${text}`);
  return cents;
};

type Grid = { brackets: [qfMin: number | null, qfMax: number | null, first: string, next: string][]; nonResident: string; category: PriceCategory };

/** Brackets for residents (the 2nd child and later pay `next`), then non-residents, then the default (the highest price). */
function linesOf(grid: Grid): TariffLine[] {
  const lines: TariffLine[] = [{ qfMin: null, qfMax: null, residency: 'non_resident', rankMin: null, rankMax: null, amountCents: euros(grid.nonResident), category: grid.category, isDefault: false }];
  for (const [qfMin, qfMax, first, next] of grid.brackets) {
    if (next !== first) lines.push({ qfMin, qfMax, residency: 'resident', rankMin: 2, rankMax: null, amountCents: euros(next), category: grid.category, isDefault: false });
    lines.push({ qfMin, qfMax, residency: 'resident', rankMin: null, rankMax: null, amountCents: euros(first), category: grid.category, isDefault: false });
  }
  lines.push({ qfMin: null, qfMax: null, residency: 'any', rankMin: null, rankMax: null, amountCents: euros(grid.nonResident), category: grid.category, isDefault: true });
  return lines;
}

/** The town's grids (after municipal deliberations: a « cantine à 1 € » first bracket up to QF 450). */
const GRIDS: Record<string, Grid> = {
  canteen: { category: 'repas', nonResident: '5,80', brackets: [[null, 450, '1,00', '1,00'], [451, 800, '2,60', '2,30'], [801, 1200, '3,40', '3,00'], [1201, null, '4,20', '3,80']] },
  morning: { category: 'garde', nonResident: '3,00', brackets: [[null, 450, '0,80', '0,70'], [451, 800, '1,40', '1,20'], [801, 1200, '1,90', '1,70'], [1201, null, '2,30', '2,10']] },
  evening: { category: 'garde', nonResident: '4,00', brackets: [[null, 450, '1,10', '1,00'], [451, 800, '1,90', '1,70'], [801, 1200, '2,60', '2,30'], [1201, null, '3,10', '2,80']] },
  wednesday: { category: 'garde', nonResident: '18,00', brackets: [[null, 450, '4,00', '3,50'], [451, 800, '7,50', '6,50'], [801, 1200, '10,50', '9,50'], [1201, null, '13,00', '11,50']] },
  holiday: { category: 'garde', nonResident: '20,00', brackets: [[null, 450, '4,50', '4,00'], [451, 800, '8,00', '7,00'], [801, 1200, '11,00', '10,00'], [1201, null, '14,00', '12,50']] },
};
const HALF_DAY: Grid = { category: 'garde', nonResident: '9,00', brackets: [[null, 450, '2,00', '1,80'], [451, 800, '3,80', '3,30'], [801, 1200, '5,30', '4,80'], [1201, null, '6,50', '5,80']] };

/**
 * The demo town's tariffs: one version per service for the school year from 1 September, the
 * Wednesday half-day priced on its own, the canteens' January price rise as a second version, and
 * Beauval as the place of residence. Written through the back office's service, as the régie would.
 */
export async function seedTariffs(ctx: AppContext, admin: Auth, schoolYearId: string) {
  const tariffs = tariffsService(ctx);
  await tariffs.setPlaces(admin, [{ postcode: '62160', city: 'Beauval' }]);
  const { targets, years } = await tariffs.choices();
  const year = years.find((y) => y.id === schoolYearId);
  if (!year) throw new DemoSeedError('tarifs', 'année scolaire introuvable');
  const schoolYear = { id: year.id, start: year.start_date };
  const surcharges = (kind: string) => (kind === 'canteen' ? { presentWithoutBookingCents: euros('2,00'), lateCancellationCents: euros('1,00') } : { presentWithoutBookingCents: euros('1,50'), lateCancellationCents: 0 });
  const january = `${Number(schoolYear.start.slice(0, 4)) + 1}-01-04`;
  for (const t of targets) {
    const grid = t.unitId === null ? GRIDS[t.serviceKind] : t.unitLabel === 'Matinée sans repas' ? HALF_DAY : null;
    if (!grid) continue;
    const input = { target: t.value, schoolYearId: schoolYear.id, ...surcharges(t.serviceKind), lines: linesOf(grid) };
    must(`tarif ${t.label}`, await tariffs.createVersion(admin, { ...input, appliesFrom: schoolYear.start }));
    if (t.serviceKind === 'canteen' && t.unitId === null) {
      const raised = input.lines.map((l) => ({ ...l, amountCents: l.amountCents <= 100 ? l.amountCents : l.amountCents + 10 }));
      must(`tarif de janvier ${t.label}`, await tariffs.createVersion(admin, { ...input, lines: raised, appliesFrom: january }));
    }
  }
}
