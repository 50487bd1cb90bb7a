import { outcomes } from '../../platform/result.ts';

/** Outcomes of the households back office: services return these codes, pages show this wording (once, here). */
export const HOUSEHOLD_OUTCOMES = outcomes({
  merge_not_found: 'Aucun autre foyer actif ne porte ce numéro',
  link_no_account: 'Aucun compte famille avec cette adresse',
  link_not_waiting: 'Ce compte n\'est pas en attente de rattachement',
  link_already_linked: 'Ce compte est déjà rattaché à un foyer',
  invite_has_account: 'Ce responsable a déjà un compte',
  invite_email_taken: 'Un compte existe déjà avec l\'adresse électronique de ce responsable : corrigez-la ou rattachez ce compte au foyer',
  refusal_needs_reason: 'Indiquez la raison du refus : la famille la lira',
  change_already_decided: 'Cette demande a déjà été traitée',
});
export type HouseholdOutcome = keyof typeof HOUSEHOLD_OUTCOMES;

/** Flash messages of the household pages after a change. */
export const HOUSEHOLD_DONE = outcomes({
  created: 'Le foyer est créé. Ajoutez les enfants, puis envoyez un code d\'activation au responsable.',
  address_saved: 'L\'adresse est enregistrée.',
  invited_by_letter: 'Compte créé sans adresse électronique : imprimez la lettre d\'activation.',
  invited_by_email: 'Le code d\'activation part par courriel.',
  payer_changed: 'Le payeur du foyer est changé.',
  quotient_saved: 'Le quotient familial est enregistré.',
  account_linked: 'Le compte est rattaché : la famille est prévenue par courriel.',
  archived: 'Le foyer est archivé.',
  unarchived: 'Le foyer est réactivé.',
  assisted_started: 'Mode accueil : vous voyez l\'espace de la famille comme elle le voit. Chaque action est enregistrée à votre nom.',
  assisted_ended: 'Vous avez quitté le mode accueil.',
  change_accepted: 'La modification est validée et appliquée.',
  change_refused: 'La demande est refusée ; la famille voit le motif.',
  address_requested: 'Votre nouvelle adresse est envoyée à la mairie. Elle s\'appliquera après vérification.',
  contact_saved: 'Les coordonnées sont enregistrées.',
  recap_on: 'C\'est noté : vous recevrez par courriel le récapitulatif de chaque enregistrement de réservations.',
  recap_off: 'C\'est noté : vous ne recevrez plus par courriel le récapitulatif de vos réservations.',
  authorisations_saved: 'Les autorisations sont enregistrées.',
  pickup_removed: 'La personne est retirée de la liste.',
});
