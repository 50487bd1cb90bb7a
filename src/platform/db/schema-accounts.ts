import type { Instant } from './schema.ts';

/** Columns and tables of migration 006 (accounts hardening), merged into the schema's types. */
declare module './schema.ts' {
  interface OutboxTable {
    /** AES-GCM sealed one-time secret, put into the body only when handed to SMTP, then wiped. */
    sealed_secret: string | null;
    /** 1 when the body holds the secret's placeholder (a resend needs the secret still sealed). */
    has_secret: number;
    /** The account and household a message is about: an agent reading it is audited for them. */
    user_id: string | null;
    household_id: string | null;
    /** Set when the body was emptied after the retention period. */
    body_purged_at: Instant | null;
  }

  interface Database {
    auth_throttle: AuthThrottleTable;
  }
}

export interface AuthThrottleTable {
  /** 'account:<e-mail>', 'pair:<address>|<e-mail>', 'address:<address>', 'mail:<purpose>:<e-mail>'. */
  key: string;
  failures: number;
  window_start: Instant;
  last_at: Instant;
}
