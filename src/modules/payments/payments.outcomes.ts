import { outcomes } from '../../platform/result.ts';

/** Why an online payment could not start: the family reads this, nothing was paid. */
export const START_REFUSALS = outcomes({
  no_items: 'Choisissez au moins une facture à payer.',
  invalid_items: 'La liste des factures à payer n\'est pas valable. Rechargez la page et recommencez.',
  amount_too_low: 'Le paiement en ligne n\'est possible qu\'à partir de 1,00 €. Payez ce montant à la régie.',
  amount_too_high: 'Ce montant est trop élevé pour un paiement en ligne. Payez en plusieurs fois ou à la régie.',
  no_email: 'Le paiement en ligne demande une adresse électronique valable dans votre compte : ajoutez-la, puis recommencez.',
  already_running: 'Un paiement en ligne de cette facture est peut-être encore en cours. Attendez 20 minutes avant de recommencer : si le premier aboutit, vous ne paierez pas deux fois.',
  payfip_unavailable: 'Le service de paiement en ligne ne répond pas pour le moment. Rien n\'a été payé. Réessayez plus tard, ou payez à la régie.',
});
export type StartRefusal = keyof typeof START_REFUSALS;
