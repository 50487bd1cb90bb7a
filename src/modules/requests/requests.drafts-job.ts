import type { AppContext } from '../../platform/context.ts';
import { DRAFT_KEPT_DAYS } from './requests.service.ts';
import * as repo from './requests.repository.ts';

/**
 * Drafts untouched for DRAFT_KEPT_DAYS days are deleted with their answers and their own files (the
 * wallet's documents stay): run by the worker with the complement reminders, any number of times
 * (each deletion checks the draft is still a draft). Returns how many went.
 */
export async function purgeStaleDrafts(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<number> {
  const now = ctx.clock.now();
  let purged = 0;
  for (const draft of await repo.staleDrafts(ctx.db, new Date(now.getTime() - DRAFT_KEPT_DAYS * 86_400_000).toISOString())) {
    if (await ctx.db.transaction().execute((tx) => repo.deleteDraft(tx, draft.id, draft.household_id))) purged++;
  }
  return purged;
}
