import type { OutgoingMail } from '../../platform/mail/outbox.repository.ts';
import { formatDateLong, formatDateTime } from '../../platform/format.ts';

/** E-mails about accounts: plain text, short, in plain French. */

const signature = (town: string) => `\n\n--\n${town} – Portail famille\nCe message est envoyé automatiquement, merci de ne pas y répondre.`;

export function activation(p: { to: string; firstName: string; code: string; expiresAt: Date; link: string; town: string; agent?: boolean }): OutgoingMail {
  return {
    kind: 'activation',
    to: p.to,
    subject: `Votre code d'activation du portail famille – ${p.town}`,
    text:
      `Bonjour ${p.firstName},\n\n` +
      (p.agent ? `Un compte agent a été créé pour vous sur le portail famille.\n\n` : `La mairie a créé votre compte sur le portail famille. Vous pourrez y inscrire vos enfants, réserver la cantine et payer vos factures.\n\n`) +
      `Votre code d'activation : ${p.code}\n\n` +
      `Pour activer votre compte :\n1. ouvrez ${p.link}\n2. saisissez le code ci-dessus\n3. choisissez votre mot de passe.\n\n` +
      `Ce code fonctionne une seule fois, jusqu'au ${formatDateLong(p.expiresAt)}. Passé ce délai, demandez un nouveau code à la mairie.` +
      signature(p.town),
  };
}

export function verifyEmail(p: { to: string; firstName: string; link: string; hours: number; town: string }): OutgoingMail {
  return {
    kind: 'verify-email',
    to: p.to,
    subject: `Confirmez votre adresse électronique – ${p.town}`,
    text:
      `Bonjour ${p.firstName},\n\nPour confirmer votre adresse électronique sur le portail famille, ouvrez ce lien :\n${p.link}\n\n` +
      `Ce lien est valable ${p.hours} heures. Si vous n'avez pas créé de compte, ignorez ce message.` +
      signature(p.town),
  };
}

export function alreadyRegistered(p: { to: string; link: string; town: string }): OutgoingMail {
  return {
    kind: 'already-registered',
    to: p.to,
    subject: `Vous avez déjà un compte sur le portail famille – ${p.town}`,
    text:
      `Bonjour,\n\nQuelqu'un (sans doute vous) a voulu créer un compte avec cette adresse, mais un compte existe déjà.\n\n` +
      `Si vous avez oublié votre mot de passe, vous pouvez en choisir un nouveau ici :\n${p.link}\n\nSi ce n'était pas vous, ignorez ce message : votre compte n'a pas changé.` +
      signature(p.town),
  };
}

export function passwordReset(p: { to: string; firstName: string; link: string; hours: number; town: string }): OutgoingMail {
  return {
    kind: 'password-reset',
    to: p.to,
    subject: `Choisir un nouveau mot de passe – ${p.town}`,
    text:
      `Bonjour ${p.firstName},\n\nVous avez demandé à changer votre mot de passe du portail famille. Ouvrez ce lien pour en choisir un nouveau :\n${p.link}\n\n` +
      `Ce lien est valable ${p.hours} heures et ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.` +
      signature(p.town),
  };
}

/** After a change or a reset: no link that logs in, no secret; only where to go if it was not them. */
export function passwordChanged(p: { to: string; firstName: string; at: Date; link: string; town: string }): OutgoingMail {
  return {
    kind: 'password-changed',
    to: p.to,
    subject: `Votre mot de passe a été changé – ${p.town}`,
    text:
      `Bonjour ${p.firstName},\n\nLe mot de passe de votre compte du portail famille a été changé le ${formatDateTime(p.at)}. ` +
      `Vos autres sessions ouvertes ont été fermées.\n\n` +
      `Si c'est vous, il n'y a rien à faire.\n\nSi ce n'est pas vous, choisissez tout de suite un nouveau mot de passe ici :\n${p.link}\npuis prévenez la mairie.` +
      signature(p.town),
  };
}
