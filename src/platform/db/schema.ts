import type { ServiceTables } from './schema-services.ts';
import type { InvoicingTables } from './schema-invoicing.ts';
import './schema-accounts.ts';
import './schema-session.ts';
import './schema-payments.ts';
import './schema-tariffs.ts';
import './schema-messaging.ts';
import './schema-files.ts';
import './schema-requests.ts';
import './schema-certificates.ts';
import './schema-request-kinds.ts';
import './schema-enrolment-documents.ts';
import type { Generated } from 'kysely';

/**
 * Table types, identical on SQLite and PostgreSQL (ARCHITECTURE.md §4):
 * instants are ISO-8601 UTC text, days are 'YYYY-MM-DD' text, booleans are 0/1 integers,
 * money is integer cents, ids are UUIDv7 text.
 */
export type Instant = string;

export type UserKind = 'guardian' | 'agent';
/** invited: created by the town, not yet activated; unverified: self sign-up awaiting the e-mail link;
 * pending_link: e-mail verified, waiting for an agent to link a household; active; disabled. */
export type UserStatus = 'invited' | 'unverified' | 'pending_link' | 'active' | 'disabled';

export interface UsersTable {
  id: string;
  email: string | null;
  password_hash: string | null;
  first_name: string;
  last_name: string;
  phone: string | null;
  kind: UserKind;
  status: UserStatus;
  /** Agent roles, comma separated (admin,enfance,regie,animateur,restauration). */
  roles: string;
  email_verified_at: Instant | null;
  last_login_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface ActivationCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  channel: 'email' | 'letter';
  expires_at: Instant;
  used_at: Instant | null;
  revoked_at: Instant | null;
  created_by: string | null;
  created_at: Instant;
}

export type EmailTokenPurpose = 'verify' | 'reset';

export interface EmailTokensTable {
  id: string;
  user_id: string;
  purpose: EmailTokenPurpose;
  token_hash: string;
  expires_at: Instant;
  used_at: Instant | null;
  created_at: Instant;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a stolen database does not give usable sessions. */
  id: string;
  user_id: string;
  created_at: Instant;
  last_seen_at: Instant;
  expires_at: Instant;
  /** Assisted mode: the household an agent is acting for. */
  acting_household_id: string | null;
}

export type OutboxStatus = 'pending' | 'sent' | 'kept' | 'failed';

export interface OutboxTable {
  id: string;
  dedupe_key: string | null;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  status: OutboxStatus;
  attempts: Generated<number>;
  next_attempt_at: Instant;
  locked_until: Instant | null;
  last_error: string | null;
  sent_at: Instant | null;
  created_at: Instant;
}

export interface AuditLogTable {
  id: string;
  at: Instant;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  summary: string;
  /** Set when an agent acted for a household at the counter (assisted mode). */
  on_behalf_of_household_id: string | null;
}

export interface HouseholdsTable {
  id: string;
  /** Short number shown to families and agents (F-000123). */
  reference: string;
  /** Identifier in the town's previous files, used to match CSV imports. */
  external_ref: string | null;
  /** « Foyer Durand – Martin », from the guardians' last names; kept up to date by the service. */
  name: string;
  address_line1: string;
  address_line2: string | null;
  postcode: string;
  city: string;
  payer_person_id: string | null;
  /** Normalised text of the household, its members and address: accent- and case-insensitive search. */
  search: string;
  archived_at: Instant | null;
  anonymised_at: Instant | null;
  merged_into_id: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface PersonsTable {
  id: string;
  kind: 'adult' | 'child';
  first_name: string;
  last_name: string;
  birth_date: string | null;
  sex: 'F' | 'M' | null;
  email: string | null;
  phone: string | null;
  user_id: string | null;
  search: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface HouseholdMembersTable {
  household_id: string;
  person_id: string;
  role: 'guardian' | 'child';
  relationship: string | null;
  created_at: Instant;
}

export interface ChildrenTable {
  person_id: string;
  school: string | null;
  class_level: string | null;
  diet: string;
  photo_allowed: number;
  may_leave_alone: number;
  transport_allowed: number;
}

export interface ChildHealthTable {
  person_id: string;
  allergies: string;
  has_pai: number;
  pai_description: string;
  doctor_name: string;
  doctor_phone: string;
  updated_at: Instant;
}

export interface PickupPersonsTable {
  id: string;
  child_person_id: string;
  name: string;
  relation: string;
  phone: string;
  may_pick_up: number;
  emergency_contact: number;
  created_at: Instant;
}

export interface QuotientsTable {
  id: string;
  household_id: string;
  value_eur: number;
  /** 'YYYY-MM': the month from which the value applies (until a later month's value). */
  reference_month: string;
  /** Attestation CAF, attestation MSA, agent entry (e.g. from the tax notice), API Particulier. */
  source: 'caf' | 'msa' | 'agent' | 'api_particulier';
  valid_until: string | null;
  created_by: string | null;
  created_at: Instant;
}

export interface PendingChangesTable {
  id: string;
  household_id: string;
  kind: 'new_child' | 'address';
  /** JSON of the proposed values. */
  payload: string;
  summary: string;
  status: 'pending' | 'accepted' | 'refused';
  reason: string | null;
  submitted_by: string;
  submitted_at: Instant;
  decided_by: string | null;
  decided_at: Instant | null;
}

export interface SchoolListsTable {
  id: string;
  kind: 'school' | 'class_level';
  label: string;
  position: number;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface Database extends ServiceTables, InvoicingTables {
  users: UsersTable;
  activation_codes: ActivationCodesTable;
  email_tokens: EmailTokensTable;
  sessions: SessionsTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  households: HouseholdsTable;
  persons: PersonsTable;
  household_members: HouseholdMembersTable;
  children: ChildrenTable;
  child_health: ChildHealthTable;
  pickup_persons: PickupPersonsTable;
  quotients: QuotientsTable;
  pending_changes: PendingChangesTable;
  school_lists: SchoolListsTable;
  counters: CountersTable;
}

// CSV imports and activation campaigns (module imports).

export interface ImportsTable {
  id: string;
  created_by: string;
  created_at: Instant;
  filename: string;
  /** 'utf-8' | 'windows-1252': how the uploaded bytes were decoded. */
  encoding: string;
  /** The decoded CSV text, kept between the dry run and the confirmation; emptied once imported. */
  content: string;
  status: 'dry_run' | 'imported';
  /** JSON counts of the last run (created, matched, rejected). */
  summary: string;
  imported_at: Instant | null;
}

export interface ActivationCampaignsTable {
  id: string;
  created_by: string;
  created_at: Instant;
  last_reminder_at: Instant | null;
  letters_printed_at: Instant | null;
}

export interface CampaignRecipientsTable {
  campaign_id: string;
  user_id: string;
  person_id: string;
  household_id: string;
  channel: 'email' | 'letter';
  created_at: Instant;
}

export interface Database {
  imports: ImportsTable;
  activation_campaigns: ActivationCampaignsTable;
  campaign_recipients: CampaignRecipientsTable;
}
