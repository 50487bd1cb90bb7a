import { outcomes, type Result } from '../../platform/result.ts';

/**
 * Every outcome of the account use cases: a closed set of codes, with their French wording once.
 * Services decide with codes; forms show the wording next to the field the code belongs to.
 */
export const IDENTITY_OUTCOMES = outcomes({
  bad_credentials: 'Adresse électronique ou mot de passe incorrect',
  account_disabled: 'Ce compte est désactivé. Adressez-vous à la mairie.',
  email_unverified: 'Confirmez d\'abord votre adresse électronique avec le lien reçu par courriel.',
  agent_needs_email: 'Un agent doit avoir une adresse électronique',
  email_taken: 'Un compte existe déjà avec cette adresse électronique',
  email_in_use: 'Cette adresse électronique est déjà utilisée par un autre compte',
  email_required: 'Saisissez l\'adresse électronique qui vous servira à vous connecter',
  code_unknown: 'Ce code n\'est pas reconnu. Vérifiez les caractères saisis (par exemple ABCDE-FGHJK).',
  code_used: 'Ce code a déjà été utilisé. Si vous avez déjà créé votre mot de passe, connectez-vous. Sinon, demandez un nouveau code à la mairie.',
  code_expired: 'Ce code a expiré. Demandez un nouveau code à la mairie : il vous sera envoyé par courriel ou par courrier.',
  code_revoked: 'Ce code a été remplacé par un code plus récent. Utilisez le dernier code reçu.',
  account_not_invited: 'Ce compte est déjà activé ou n\'existe pas',
  account_not_active: 'Ce compte n\'est pas actif : un lien de réinitialisation ne peut pas lui être envoyé.',
  password_missing: 'Choisissez un mot de passe',
  password_too_long: 'Le mot de passe doit faire 128 caractères au maximum',
  password_too_weak:
    'Le mot de passe est trop facile à deviner. Au moins 12 caractères avec des majuscules, des minuscules, des chiffres et des caractères spéciaux, ou une phrase plus longue (par exemple quatre mots, 20 caractères ou plus).',
  password_personal: 'Le mot de passe ne doit pas contenir votre nom ni votre adresse électronique',
  password_repeated: 'Le mot de passe ne doit pas répéter le même caractère',
  password_common:
    'Ce mot de passe fait partie des plus utilisés, ou n\'en diffère que par quelques chiffres, symboles ou lettres remplacées (comme « P@ssw0rd »). Choisissez plutôt trois ou quatre mots sans lien entre eux, séparés par des tirets.',
  password_pattern:
    'Ce mot de passe suit un motif facile à deviner (touches voisines du clavier comme « azerty », mot ou suite répétés, dates). Choisissez plutôt trois ou quatre mots sans lien entre eux, séparés par des tirets.',
  link_expired: 'Ce lien a expiré ou a déjà servi. Demandez un nouveau lien.',
  current_password_wrong: 'Le mot de passe actuel est incorrect',
  roles_required: 'Choisissez au moins un rôle',
  last_admin: 'Il doit rester au moins un administrateur actif',
});

export type IdentityOutcome = keyof typeof IDENTITY_OUTCOMES;

/** The form field each code is shown next to. */
const FIELD: Record<IdentityOutcome, string> = {
  bad_credentials: 'email',
  account_disabled: 'email',
  email_unverified: 'email',
  agent_needs_email: 'email',
  email_taken: 'email',
  email_in_use: 'email',
  email_required: 'email',
  code_unknown: 'code',
  code_used: 'code',
  code_expired: 'code',
  code_revoked: 'code',
  account_not_invited: 'form',
  account_not_active: 'form',
  password_missing: 'password',
  password_too_long: 'password',
  password_too_weak: 'password',
  password_personal: 'password',
  password_repeated: 'password',
  password_common: 'password',
  password_pattern: 'password',
  link_expired: 'password',
  current_password_wrong: 'current_password',
  roles_required: 'roles',
  last_admin: 'roles',
};

/** A failed account use case: its code, and the same as form errors (field → wording) for the pages. */
export type IdentityFailure<C extends IdentityOutcome = IdentityOutcome> = { ok: false; code: C; errors: Record<string, string> };
/** Assignable to the platform's `Result<T, IdentityOutcome>`; `errors` is only the form's view of the code. */
export type IdentityResult<T = void> = { ok: true; value: T } | IdentityFailure;
export type { Result };

export const failed = <C extends IdentityOutcome>(code: C): IdentityFailure<C> => ({ ok: false, code, errors: { [FIELD[code]]: IDENTITY_OUTCOMES[code] } });

/** Login and e-mail throttling: the wait is part of the message. */
export function tooManyAttempts(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = retryAfterSeconds < 60 ? `${retryAfterSeconds} seconde${retryAfterSeconds > 1 ? 's' : ''}` : `${minutes} minute${minutes > 1 ? 's' : ''}`;
  return `Trop de tentatives. Réessayez dans ${wait}.`;
}

/** Flash messages of the account pages. */
export const IDENTITY_NOTICES = outcomes({
  logged_out: 'Vous êtes déconnecté.',
  logged_out_everywhere: 'Vous êtes déconnecté sur tous vos appareils. Reconnectez-vous pour continuer.',
  password_changed: 'Votre mot de passe a été changé. Vos autres sessions sont fermées.',
  password_reset: 'Votre mot de passe a été changé. Connectez-vous avec le nouveau mot de passe.',
  activated: 'Votre compte est activé. Bienvenue sur le portail famille.',
  agent_saved: 'Les droits de l\'agent sont enregistrés. Ses sessions en cours sont fermées.',
  reset_sent: 'Un lien pour choisir un nouveau mot de passe part par courriel.',
});
