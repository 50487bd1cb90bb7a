import type { Instant } from './schema.ts';

/** Tables of migration 015 (issue 13, messaging), merged into the schema's types. */
declare module './schema.ts' {
  interface Database {
    messages: MessagesTable;
    message_recipients: MessageRecipientsTable;
    message_attachments: MessageAttachmentsTable;
    mail_preferences: MailPreferencesTable;
    news_items: NewsItemsTable;
    notification_settings: NotificationSettingsTable;
  }
}

/** The same set as MESSAGE_CATEGORIES of messaging.notifications.domain.ts (platform code never imports a module; its test checks they match). */
export type MessageCategory = 'information' | 'urgent' | 'rappel';
export type MailState = 'pending' | 'queued' | 'none' | 'opted_out';

export interface MessagesTable {
  id: string;
  idempotency_key: string;
  /** 'manual' for a message written by an agent; else the notification kind that wrote it. */
  kind: string;
  category: MessageCategory;
  /** The e-mail preference the message falls under: its category, or the notification kind. */
  topic: string;
  /** 1: always e-mailed (urgent, decisions, invoices), no unsubscribe link. */
  essential: number;
  subject: string;
  body: string;
  /** JSON of the criteria: { criterion key: values }. */
  audience: string;
  audience_label: string;
  households_count: number;
  recipients_count: number;
  send_at: Instant;
  mailing_done_at: Instant | null;
  created_by: string | null;
  created_by_label: string;
  created_at: Instant;
}

export interface MessageRecipientsTable {
  message_id: string;
  person_id: string;
  household_id: string;
  user_id: string | null;
  email: string | null;
  mail_state: MailState;
  read_at: Instant | null;
}

export interface MessageAttachmentsTable {
  id: string;
  message_id: string;
  filename: string;
  size_bytes: number;
  content: string;
  created_at: Instant;
}

export interface MailPreferencesTable {
  person_id: string;
  category: string;
  updated_at: Instant;
}

/** News and menus published by the town, shown from `starts_on` to `ends_on` (Paris days, inclusive). */
export interface NewsItemsTable {
  id: string;
  kind: 'news' | 'menu';
  title: string;
  body: string;
  starts_on: string;
  ends_on: string;
  created_by: string | null;
  created_by_label: string;
  created_at: Instant;
}

/** The town's setting of one automatic notification kind (migration 021); no row: on, default text. */
export interface NotificationSettingsTable {
  kind: string;
  enabled: number;
  subject: string | null;
  body: string | null;
  updated_by_label: string;
  updated_at: Instant;
}
