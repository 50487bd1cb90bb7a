import { outcomes } from '../../platform/result.ts';

/** Outcomes of « Courriels envoyés », with their French wording once. */
export const MAIL_OUTCOMES = outcomes({
  requeued: 'Le courriel est remis en file d\'envoi.',
  not_found: 'Ce courriel n\'existe pas.',
  pending: 'Ce courriel est déjà en file d\'envoi.',
  secret_gone: 'Ce courriel contenait un code ou un lien à usage unique, qui n\'est plus conservé une fois envoyé : envoyez-en un nouveau depuis la fiche du compte.',
  purged: 'Le texte de ce courriel a été effacé après le délai de conservation : il ne peut plus être renvoyé.',
});

export type MailOutcome = Exclude<keyof typeof MAIL_OUTCOMES, 'requeued'>;
