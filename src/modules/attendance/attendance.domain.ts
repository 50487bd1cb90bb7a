import { addDays } from '../../platform/calendar/calendar.domain.ts';
import type { AttendanceRefusal } from './attendance.outcomes.ts';
import { DIETS } from '../households/households.domain.ts';

export interface MealCountRow {
  unit_id: string;
  unit_label: string;
  service_name: string;
  diet: string;
  meals: number | string;
  pai: number | string | null;
}

export interface KitchenUnit {
  unitId: string;
  label: string;
  total: number;
  pai: number;
  byDiet: { diet: string; label: string; meals: number }[];
}

/** Meals per unit and diet, in the order of the diet list, with totals: what the kitchen cooks. */
export function kitchenTable(rows: MealCountRow[]): KitchenUnit[] {
  const units = new Map<string, KitchenUnit>();
  for (const r of rows) {
    const u = units.get(r.unit_id) ?? { unitId: r.unit_id, label: `${r.service_name} – ${r.unit_label}`, total: 0, pai: 0, byDiet: [] };
    const meals = Number(r.meals);
    u.total += meals;
    u.pai += Number(r.pai ?? 0);
    u.byDiet.push({ diet: r.diet, label: DIETS[r.diet as keyof typeof DIETS] ?? r.diet, meals });
    units.set(r.unit_id, u);
  }
  const order = Object.keys(DIETS);
  for (const u of units.values()) u.byDiet.sort((a, b) => order.indexOf(a.diet) - order.indexOf(b.diet));
  return [...units.values()].sort((a, b) => a.label.localeCompare(b.label, 'fr'));
}

/**
 * Whether attendance can be recorded for a day, by whom: animators on the day itself (Paris day);
 * the service enfance (and admin) also corrects the last `correctionDays` days. Never ahead, and
 * never older: a day past the window is treated as billed, so locked.
 */
export function attendanceRefusal(day: string, today: string, correctionDays: number, corrects: boolean): AttendanceRefusal | null {
  if (day > today) return 'ahead';
  if (day === today) return null;
  if (!corrects) return 'not_today';
  return day < addDays(today, -correctionDays) ? 'locked' : null;
}

export interface MealSpanRow {
  facility_id: string;
  day: string;
  diet: string;
  has_pai: number | string | null;
  allergies: string | null;
  meals: number | string;
}

export interface KitchenDay {
  day: string;
  total: number;
  byDiet: { diet: string; label: string; meals: number }[];
  /** Children with a PAI eating that day: the kitchen checks the protocol with the service. */
  pai: number;
  /** What must be avoided, as the families wrote it, with how many children — never who. */
  avoid: { what: string; children: number }[];
}

/** The cook's days per facility: meals by diet, PAI and allergies to avoid, without any name. */
export function kitchenDays(rows: MealSpanRow[]): Map<string, KitchenDay[]> {
  const byFacility = new Map<string, Map<string, KitchenDay>>();
  const order = Object.keys(DIETS);
  for (const r of rows) {
    const days = byFacility.get(r.facility_id) ?? new Map<string, KitchenDay>();
    byFacility.set(r.facility_id, days);
    const d = days.get(r.day) ?? { day: r.day, total: 0, byDiet: [], pai: 0, avoid: [] };
    days.set(r.day, d);
    const meals = Number(r.meals);
    d.total += meals;
    const diet = d.byDiet.find((x) => x.diet === r.diet);
    if (diet) diet.meals += meals;
    else d.byDiet.push({ diet: r.diet, label: DIETS[r.diet as keyof typeof DIETS] ?? r.diet, meals });
    if (Number(r.has_pai ?? 0) === 1) d.pai += meals;
    const what = r.allergies?.trim();
    if (what) {
      const same = d.avoid.find((a) => a.what.toLocaleLowerCase('fr') === what.toLocaleLowerCase('fr'));
      if (same) same.children += meals;
      else d.avoid.push({ what, children: meals });
    }
  }
  const out = new Map<string, KitchenDay[]>();
  for (const [facilityId, days] of byFacility) {
    const list = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
    for (const d of list) {
      d.byDiet.sort((a, b) => order.indexOf(a.diet) - order.indexOf(b.diet));
      d.avoid.sort((a, b) => a.what.localeCompare(b.what, 'fr'));
    }
    out.set(facilityId, list);
  }
  return out;
}
