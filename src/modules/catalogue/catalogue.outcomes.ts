import { outcomes } from '../../platform/result.ts';

/** Why the draw of a period is refused; the wording is shown on the period page. */
export const DRAW_REFUSALS = outcomes({
  not_draw: 'Cette période n\'est pas attribuée par tirage : les places sont prises dans l\'ordre d\'arrivée.',
  already_drawn: 'Les places de cette période ont déjà été attribuées.',
  no_close_date: 'Indiquez d\'abord la date de clôture des demandes de cette période.',
  requests_open: 'Les demandes sont encore recueillies : le tirage sera possible après leur clôture.',
});
export type DrawRefusal = keyof typeof DRAW_REFUSALS;
