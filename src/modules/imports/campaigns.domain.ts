/**
 * Pure rules of an activation campaign: where each recipient stands, and the counts the back office shows.
 */

export type RecipientState = 'active' | 'bounced' | 'expired' | 'sent' | 'queued' | 'letter';

export const RECIPIENT_STATE_LABELS: Record<RecipientState, string> = {
  active: 'Compte activé',
  bounced: 'Courriel en échec',
  expired: 'Code expiré',
  sent: 'Courriel envoyé',
  queued: 'Courriel en attente d\'envoi',
  letter: 'Lettre à imprimer',
};

export interface RecipientFacts {
  channel: 'email' | 'letter';
  status: string;
  code: { expires_at: string; used_at: string | null; revoked_at: string | null } | null;
  mail: { status: string } | null;
}

/** Activated wins; then a failed e-mail (bounced); then an expired code; then how the code went out. */
export function recipientState(r: RecipientFacts, now: Date): RecipientState {
  if (r.status !== 'invited') return 'active';
  if (r.channel === 'email' && r.mail?.status === 'failed') return 'bounced';
  if (!r.code || r.code.used_at || r.code.revoked_at || r.code.expires_at <= now.toISOString()) return 'expired';
  if (r.channel === 'letter') return 'letter';
  return r.mail?.status === 'sent' || r.mail?.status === 'kept' ? 'sent' : 'queued';
}

export interface CampaignCounts {
  total: number;
  emails: number;
  letters: number;
  sent: number;
  queued: number;
  activated: number;
  bounced: number;
  expired: number;
  toPrint: number;
}

export function campaignCounts(states: { channel: 'email' | 'letter'; state: RecipientState }[]): CampaignCounts {
  const n = (s: RecipientState) => states.filter((r) => r.state === s).length;
  return {
    total: states.length,
    emails: states.filter((r) => r.channel === 'email').length,
    letters: states.filter((r) => r.channel === 'letter').length,
    sent: n('sent'),
    queued: n('queued'),
    activated: n('active'),
    bounced: n('bounced'),
    expired: n('expired'),
    toPrint: states.filter((r) => r.channel === 'letter' && r.state !== 'active').length,
  };
}

/** Who a reminder reaches: e-mail recipients not activated whose code expired or whose e-mail failed. */
export const needsReminder = (r: { channel: 'email' | 'letter'; state: RecipientState }) => r.channel === 'email' && (r.state === 'expired' || r.state === 'bounced');
