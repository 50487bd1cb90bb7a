import { outcomes } from '../../platform/result.ts';
import type { LineProblem } from './tariffs.domain.ts';

/** Why a version's lines cannot be saved; shown next to the line. */
export const LINE_PROBLEMS = outcomes<LineProblem>({
  no_line: 'indiquez au moins le tarif par défaut',
  default_not_last: 'le tarif par défaut vient en dernier',
  qf_bounds_reversed: 'le QF minimum dépasse le QF maximum',
  rank_bounds_reversed: 'le rang minimum dépasse le rang maximum',
  default_with_criteria: 'le tarif par défaut ne porte aucun critère',
});

/** Why the tariffs back office refuses a change; each code is shown next to one field of the form. */
export const TARIFF_REFUSALS = outcomes({
  version_locked: 'Cette version du tarif est utilisée par des factures émises : elle ne peut plus changer. Créez une nouvelle version qui s\'applique à partir d\'une date.',
  version_exists: 'Une version de ce tarif commence déjà ce jour-là : modifiez-la, ou choisissez une autre date.',
  unknown_target: 'Choisissez une prestation ou une unité de la liste',
  unknown_year: 'Choisissez une année scolaire de la liste',
  outside_year: 'La date doit tomber pendant l\'année scolaire choisie',
});
export type TariffRefusal = keyof typeof TARIFF_REFUSALS;

export const REFUSAL_FIELDS: Readonly<Record<TariffRefusal, string>> = Object.freeze({
  version_locked: 'default_amount',
  version_exists: 'applies_from',
  unknown_target: 'target',
  unknown_year: 'school_year',
  outside_year: 'applies_from',
});

/** What the simulator says about a typed QF that cannot be read (400). */
export const SIMULATOR_INVALID = 'Saisissez votre quotient familial en euros : un nombre entier entre 0 et 99 999, par exemple 742.';

/** Told to a family whose QF the town does not know (prices page, calendar). */
export const NO_QUOTIENT_NOTICE =
  'Nous ne connaissons pas votre quotient familial : vous payez le tarif le plus élevé. Envoyez votre attestation CAF ou MSA (ou votre avis d\'imposition) au service enfance de la mairie pour payer le tarif qui correspond à vos revenus.';

export const CATEGORY_LABELS = { garde: 'Garde', repas: 'Repas' } as const;
export const RESIDENCY_LABELS = { any: 'Tous', resident: 'Résidents de la commune', non_resident: 'Hors commune' } as const;
