import type { Db } from '../../platform/db/database.ts';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import { newId } from '../../platform/ids.ts';
import type { ExistingHousehold } from './imports.domain.ts';

// Imports

export async function insertImport(db: Executor, i: { created_by: string; filename: string; encoding: string; content: string; summary: string }, now: Date) {
  const id = newId();
  await db.insertInto('imports').values({ id, ...i, created_at: now.toISOString(), status: 'dry_run', imported_at: null }).execute();
  return id;
}

export async function findImport(db: Executor, id: string) {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function recentImports(db: Db, limit = 20) {
  return db.selectFrom('imports').select(['id', 'created_at', 'filename', 'status', 'summary', 'imported_at']).orderBy('created_at', 'desc').limit(limit).execute();
}

/** Marks the import done once: a second confirmation (double click, two agents) finds it no longer a dry run. The content is dropped (data minimisation). */
export async function claimImport(tx: Executor, id: string, summary: string, now: Date): Promise<boolean> {
  const r = await tx.updateTable('imports').set({ status: 'imported', imported_at: now.toISOString(), summary, content: '' }).where('id', '=', id).where('status', '=', 'dry_run').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateImportSummary(db: Executor, id: string, summary: string) {
  await db.updateTable('imports').set({ summary }).where('id', '=', id).where('status', '=', 'dry_run').execute();
}

/** Dry runs never confirmed hold personal data for nothing: they are dropped after a day. */
export async function purgeOldDryRuns(db: Executor, before: Date) {
  await db.deleteFrom('imports').where('status', '=', 'dry_run').where('created_at', '<', before.toISOString()).execute();
}

/** The households a file mentions, with their members, keyed by their external reference. Two queries per 500 references. */
export async function existingHouseholds(db: Executor, refs: string[]): Promise<Map<string, ExistingHousehold>> {
  const out = new Map<string, ExistingHousehold>();
  for (let i = 0; i < refs.length; i += 500) {
    const chunk = refs.slice(i, i + 500);
    const hs = await db.selectFrom('households').select(['id', 'external_ref']).where('external_ref', 'in', chunk).execute();
    if (hs.length === 0) continue;
    const byId = new Map<string, ExistingHousehold>();
    for (const h of hs) {
      const e: ExistingHousehold = { id: h.id, members: [] };
      byId.set(h.id, e);
      out.set(h.external_ref!, e);
    }
    const members = await db
      .selectFrom('household_members')
      .innerJoin('persons', 'persons.id', 'household_members.person_id')
      .select(['household_members.household_id', 'household_members.role', 'persons.first_name', 'persons.last_name', 'persons.birth_date'])
      .where('household_members.household_id', 'in', [...byId.keys()])
      .execute();
    for (const m of members) byId.get(m.household_id)!.members.push({ role: m.role, first_name: m.first_name, last_name: m.last_name, birth_date: m.birth_date });
  }
  return out;
}

// Activation campaigns

/** Guardians of active households who have no login yet: whom a campaign invites. One row per person. */
export async function guardiansWithoutLogin(db: Executor) {
  const rows = await db
    .selectFrom('persons')
    .innerJoin('household_members', 'household_members.person_id', 'persons.id')
    .innerJoin('households', 'households.id', 'household_members.household_id')
    .select(['persons.id as person_id', 'household_members.household_id', 'persons.email'])
    .where('persons.kind', '=', 'adult')
    .where('persons.user_id', 'is', null)
    .where('household_members.role', '=', 'guardian')
    .where('households.archived_at', 'is', null)
    .where('households.merged_into_id', 'is', null)
    .orderBy('households.reference')
    .orderBy('persons.last_name')
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.person_id) ? false : (seen.add(r.person_id), true)));
}

export async function insertCampaign(tx: Executor, createdBy: string, now: Date) {
  const id = newId();
  await tx.insertInto('activation_campaigns').values({ id, created_by: createdBy, created_at: now.toISOString(), last_reminder_at: null, letters_printed_at: null }).execute();
  return id;
}

export async function insertRecipient(tx: Executor, r: { campaign_id: string; user_id: string; person_id: string; household_id: string; channel: 'email' | 'letter' }, now: Date) {
  await tx.insertInto('campaign_recipients').values({ ...r, created_at: now.toISOString() }).onConflict((oc) => oc.columns(['campaign_id', 'user_id']).doNothing()).execute();
}

export async function findCampaign(db: Executor, id: string) {
  return db.selectFrom('activation_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateCampaign(db: Executor, id: string, changes: { last_reminder_at?: string; letters_printed_at?: string }) {
  await db.updateTable('activation_campaigns').set(changes).where('id', '=', id).execute();
}

export async function listCampaigns(db: Db, limit = 50) {
  return db
    .selectFrom('activation_campaigns')
    .leftJoin('campaign_recipients', 'campaign_recipients.campaign_id', 'activation_campaigns.id')
    .select((eb) => ['activation_campaigns.id', 'activation_campaigns.created_at', eb.fn.count<number>('campaign_recipients.user_id').as('recipients')])
    .groupBy(['activation_campaigns.id', 'activation_campaigns.created_at'])
    .orderBy('activation_campaigns.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Recipients with their account, household address and latest code: three queries whatever the size. */
export async function recipientsOf(db: Executor, campaignId: string) {
  const rows = await db
    .selectFrom('campaign_recipients')
    .innerJoin('users', 'users.id', 'campaign_recipients.user_id')
    .innerJoin('households', 'households.id', 'campaign_recipients.household_id')
    .select([
      'campaign_recipients.user_id',
      'campaign_recipients.person_id',
      'campaign_recipients.household_id',
      'campaign_recipients.channel',
      'users.first_name',
      'users.last_name',
      'users.email',
      'users.status',
      'households.reference',
      'households.address_line1',
      'households.address_line2',
      'households.postcode',
      'households.city',
    ])
    .where('campaign_recipients.campaign_id', '=', campaignId)
    .orderBy('users.last_name')
    .orderBy('users.first_name')
    .execute();
  const userIds = rows.map((r) => r.user_id);
  const emails = rows.map((r) => r.email).filter((e): e is string => !!e);
  const codes = new Map<string, { id: string; expires_at: string; used_at: string | null; revoked_at: string | null; created_at: string }>();
  const mails = new Map<string, { id: string; status: string; created_at: string; last_error: string | null }>();
  // Latest first by time, then by id (UUIDv7 ids grow within the same millisecond).
  const later = (a: { created_at: string; id: string }, b: { created_at: string; id: string }) => a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id);
  for (let i = 0; i < userIds.length; i += 500) {
    const chunk = userIds.slice(i, i + 500);
    const cs = await db.selectFrom('activation_codes').select(['id', 'user_id', 'expires_at', 'used_at', 'revoked_at', 'created_at']).where('user_id', 'in', chunk).execute();
    for (const c of cs) {
      const prev = codes.get(c.user_id);
      if (!prev || later(c, prev)) codes.set(c.user_id, c);
    }
  }
  for (let i = 0; i < emails.length; i += 500) {
    const chunk = emails.slice(i, i + 500);
    const ms = await db.selectFrom('outbox').select(['to_address', 'status', 'created_at', 'last_error', 'id']).where('kind', '=', 'activation').where('to_address', 'in', chunk).execute();
    for (const m of ms) {
      const prev = mails.get(m.to_address);
      if (!prev || later(m, prev)) mails.set(m.to_address, m);
    }
  }
  return rows.map((r) => ({ ...r, code: codes.get(r.user_id) ?? null, mail: r.email ? mails.get(r.email) ?? null : null }));
}

export type CampaignRecipient = Awaited<ReturnType<typeof recipientsOf>>[number];
