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
