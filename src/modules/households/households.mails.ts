import type { OutgoingMail } from '../../platform/mail/outbox.repository.ts';

const signature = (town: string) => `\n\n--\n${town} – Portail famille\nCe message est envoyé automatiquement, merci de ne pas y répondre.`;

export function accountLinked(p: { to: string; firstName: string; link: string; town: string }): OutgoingMail {
  return {
    kind: 'account-linked',
    to: p.to,
    subject: `Votre compte est relié à votre foyer – ${p.town}`,
    text:
      `Bonjour ${p.firstName},\n\nLa mairie a relié votre compte à votre foyer. Vous pouvez maintenant voir vos enfants, mettre à jour leurs informations et faire vos démarches :\n${p.link}` +
      signature(p.town),
  };
}
