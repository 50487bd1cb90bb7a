import type { Generated } from 'kysely';
import type { Instant } from './schema.ts';

/** Tables and columns of migration 010 (issue 9), merged into the schema's types. */
declare module './schema.ts' {
  interface HouseholdsTable {
    /** 1: the family receives by e-mail the summary of each booking form it saves. */
    booking_recap_mail: Generated<number>;
  }

  interface Database {
    saved_forms: SavedFormsTable;
  }
}

/** A form posted after the session expired, kept for the same person to confirm after logging in. */
export interface SavedFormsTable {
  /** SHA-256 of the random handle in the browser's cookie. */
  id: string;
  /** The account whose session expired: only this account gets the form back. */
  user_id: string;
  /** The route pattern the form was posted to (`/reservations`): which module takes it back. */
  route: string;
  /** The page of the form, where « Revenir » leads. */
  return_path: string;
  /** The posted fields as JSON, sealed with a key derived from SECRET_KEY (no password, no CSRF token). */
  sealed_body: string;
  created_at: Instant;
  expires_at: Instant;
}
