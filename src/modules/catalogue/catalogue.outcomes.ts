import { outcomes } from '../../platform/result.ts';

/** Why the draw of a period is refused; the wording is shown on the period page. */
export const DRAW_REFUSALS = outcomes({
  not_draw: 'Cette période n\'est pas attribuée par tirage : les places sont prises dans l\'ordre d\'arrivée.',
  already_drawn: 'Les places de cette période ont déjà été attribuées.',
  no_close_date: 'Indiquez d\'abord la date de clôture des demandes de cette période.',
  requests_open: 'Les demandes sont encore recueillies : le tirage sera possible après leur clôture.',
});
export type DrawRefusal = keyof typeof DRAW_REFUSALS;

/** Why the catalogue's service refuses a change; each code is shown next to one field of the form. */
export const CATALOGUE_REFUSALS = outcomes({
  unknown_levels: 'Choisissez les niveaux dans la liste',
  unknown_facility: 'Choisissez une structure de la liste',
  facility_locked: 'Cette prestation a déjà des unités : elle ne peut pas changer de structure. Créez une nouvelle prestation.',
  year_label_taken: 'Une année scolaire porte déjà ce nom',
  period_starts_outside_year: 'La période doit commencer pendant l\'année scolaire',
  period_ends_after_year: 'La période doit finir au plus tard le dernier jour de l\'année scolaire',
  period_drawn: 'Les places de cette période ont déjà été attribuées par tirage : le mode d\'attribution, la clôture des demandes et le type de tirage ne peuvent plus changer',
  service_not_of_facility: 'Choisissez une prestation de cette structure, ou toutes',
  day_invoiced: 'Ce jour est déjà facturé : il ne peut plus être fermé. La régie corrige les factures par un avoir',
  unknown_units: 'Choisissez les unités dans la liste',
  single_exclusive: 'Une unité seule ne s\'exclut avec aucune autre : cochez au moins deux unités, ou aucune',
});
export type CatalogueRefusal = keyof typeof CATALOGUE_REFUSALS;

/** The form field each refusal is shown next to. */
export const REFUSAL_FIELDS: Readonly<Record<CatalogueRefusal, string>> = Object.freeze({
  unknown_levels: 'levels',
  unknown_facility: 'facility',
  facility_locked: 'facility',
  year_label_taken: 'label',
  period_starts_outside_year: 'start',
  period_ends_after_year: 'end',
  period_drawn: 'allocation',
  service_not_of_facility: 'service',
  day_invoiced: 'day',
  unknown_units: 'exclusive',
  single_exclusive: 'exclusive',
});
