import type { z } from 'zod';
import { form, text } from '../../platform/http/input.ts';
import type { FieldErrors, FormValues } from '../../platform/ui/components.tsx';
import { centsToInput, lineProblems, MAX_QUOTIENT, parseAmountCents, type PriceCategory, type Residency, type TariffLine } from './tariffs.domain.ts';
import { LINE_PROBLEMS } from './tariffs.outcomes.ts';

/** How many criteria lines the version form offers (empty ones are ignored); the default line comes after. */
export const LINE_SLOTS = 10;
const LINE_FIELDS = ['qf_min', 'qf_max', 'residency', 'rank_min', 'rank_max', 'amount', 'category'] as const;
export const lineField = (i: number, f: (typeof LINE_FIELDS)[number]) => `l${i + 1}_${f}`;

const lineShape: Record<string, z.ZodOptional<z.ZodString>> = Object.fromEntries(Array.from({ length: LINE_SLOTS }, (_, i) => LINE_FIELDS.map((f) => [lineField(i, f), text(50).optional()] as const)).flat());

/** Structural shape of the version form: every field a bounded string, a field sent twice is a 400. */
export const VersionBody = form({
  target: text(100).optional(),
  school_year: text(100).optional(),
  applies_from: text(50).optional(),
  present_without_booking: text(50).optional(),
  late_cancellation: text(50).optional(),
  default_amount: text(50).optional(),
  default_category: text(50).optional(),
  ...lineShape,
});
export type VersionBodyType = z.infer<typeof VersionBody>;

export const PlacesBody = form({ places: text(5000).optional() });

export interface ParsedVersion {
  target: string;
  schoolYearId: string;
  appliesFrom: string;
  presentWithoutBookingCents: number;
  lateCancellationCents: number;
  lines: TariffLine[];
}

const RESIDENCIES: readonly Residency[] = ['any', 'resident', 'non_resident'];
const CATEGORIES: readonly PriceCategory[] = ['garde', 'repas'];

/**
 * Reads the version form field by field (each error next to its field, values kept). `fixed`: on an
 * existing version the target, year and first day do not change and are not read.
 */
export function parseVersionForm(body: VersionBodyType, fixed: boolean): { ok: true; data: ParsedVersion } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const value = (name: string) => ((body as Record<string, string | undefined>)[name] ?? '').trim();
  const integer = (name: string, min: number, max: number, message: string): number | null => {
    const v = value(name);
    if (v === '') return null;
    if (!/^\d{1,6}$/.test(v) || Number(v) < min || Number(v) > max) {
      errors[name] = message;
      return null;
    }
    return Number(v);
  };
  const amount = (name: string, required: boolean): number => {
    const v = value(name);
    if (v === '' && !required) return 0;
    const cents = parseAmountCents(v);
    if (cents === null) errors[name] = 'Saisissez un montant en euros, par exemple 3,40 (10 000 € au plus)';
    return cents ?? 0;
  };
  const category = (name: string): PriceCategory => {
    const v = value(name);
    if (!(CATEGORIES as readonly string[]).includes(v)) errors[name] = 'Choisissez garde ou repas';
    return v === 'garde' ? 'garde' : 'repas';
  };

  if (!fixed) {
    if (!/^(service|unit):[0-9a-f-]{36}$/i.test(value('target'))) errors.target = 'Choisissez la prestation ou l\'unité';
    if (!/^[0-9a-f-]{36}$/i.test(value('school_year'))) errors.school_year = 'Choisissez l\'année scolaire';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value('applies_from')) || Number.isNaN(Date.parse(`${value('applies_from')}T00:00:00Z`))) errors.applies_from = 'Saisissez la date à partir de laquelle ce tarif s\'applique';
  }
  const presentWithoutBookingCents = amount('present_without_booking', false);
  const lateCancellationCents = amount('late_cancellation', false);

  const lines: TariffLine[] = [];
  const slotOfLine: number[] = [];
  for (let i = 0; i < LINE_SLOTS; i++) {
    if (LINE_FIELDS.every((f) => f === 'residency' || f === 'category' || value(lineField(i, f)) === '')) continue;
    const residency = value(lineField(i, 'residency')) || 'any';
    if (!(RESIDENCIES as readonly string[]).includes(residency)) errors[lineField(i, 'residency')] = 'Choisissez une résidence de la liste';
    lines.push({
      qfMin: integer(lineField(i, 'qf_min'), 0, MAX_QUOTIENT, `Ligne ${i + 1} : QF minimum, un nombre entier d'euros`),
      qfMax: integer(lineField(i, 'qf_max'), 0, MAX_QUOTIENT, `Ligne ${i + 1} : QF maximum, un nombre entier d'euros`),
      residency: residency as Residency,
      rankMin: integer(lineField(i, 'rank_min'), 1, 20, `Ligne ${i + 1} : rang minimum, de 1 à 20`),
      rankMax: integer(lineField(i, 'rank_max'), 1, 20, `Ligne ${i + 1} : rang maximum, de 1 à 20`),
      amountCents: amount(lineField(i, 'amount'), true),
      category: category(lineField(i, 'category')),
      isDefault: false,
    });
    slotOfLine.push(i);
  }
  lines.push({ qfMin: null, qfMax: null, residency: 'any', rankMin: null, rankMax: null, amountCents: amount('default_amount', true), category: category('default_category'), isDefault: true });
  for (const p of lineProblems(lines)) {
    const slot = slotOfLine[p.index];
    const field = slot === undefined ? 'default_amount' : p.problem === 'rank_bounds_reversed' ? lineField(slot, 'rank_max') : lineField(slot, 'qf_max');
    errors[field] ??= slot === undefined ? LINE_PROBLEMS[p.problem] : `Ligne ${slot + 1} : ${LINE_PROBLEMS[p.problem]}`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, data: { target: value('target'), schoolYearId: value('school_year'), appliesFrom: value('applies_from'), presentWithoutBookingCents, lateCancellationCents, lines } };
}

/** A version's values as the form shows them (editing, or copying into a new version from a date). */
export function versionToForm(v: { presentWithoutBookingCents: number; lateCancellationCents: number; lines: readonly TariffLine[] }): FormValues {
  const values: FormValues = { present_without_booking: centsToInput(v.presentWithoutBookingCents), late_cancellation: centsToInput(v.lateCancellationCents) };
  const criteria = v.lines.filter((l) => !l.isDefault);
  criteria.slice(0, LINE_SLOTS).forEach((l, i) => {
    values[lineField(i, 'qf_min')] = l.qfMin?.toString() ?? '';
    values[lineField(i, 'qf_max')] = l.qfMax?.toString() ?? '';
    values[lineField(i, 'residency')] = l.residency;
    values[lineField(i, 'rank_min')] = l.rankMin?.toString() ?? '';
    values[lineField(i, 'rank_max')] = l.rankMax?.toString() ?? '';
    values[lineField(i, 'amount')] = centsToInput(l.amountCents);
    values[lineField(i, 'category')] = l.category;
  });
  const fallback = v.lines.find((l) => l.isDefault);
  if (fallback) {
    values.default_amount = centsToInput(fallback.amountCents);
    values.default_category = fallback.category;
  }
  return values;
}

/**
 * The town's places of residence, one per line: « 62160 Beauval ». Returns the places or the line
 * that cannot be read. At most 50 places.
 */
export function parsePlaces(textValue: string): { ok: true; places: { postcode: string; city: string }[] } | { ok: false; error: string } {
  const lines = textValue.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length > 50) return { ok: false, error: '50 communes au plus' };
  const places: { postcode: string; city: string }[] = [];
  for (const line of lines) {
    const m = /^(\d{5})\s+(.{1,100})$/.exec(line);
    if (!m) return { ok: false, error: `Ligne « ${line.slice(0, 40)} » : écrivez le code postal puis la commune, par exemple 62160 Beauval` };
    places.push({ postcode: m[1], city: m[2].trim() });
  }
  return { ok: true, places };
}
