import type { Db } from '../db/database.ts';
import * as repo from './throttle.repository.ts';

/**
 * Login throttling and e-mail caps, counted in the database so that every instance of the portal
 * (several on PostgreSQL) sees the same counts. Three login counters, all of failures only:
 *
 * - one account from one address: 10 failures in 15 minutes stop that address for that account
 *   for the rest of the 15 minutes (the owner elsewhere is not affected);
 * - one account from all addresses: after 20 failures, each new try waits 2, 4, 8… seconds, at most
 *   15 minutes: a distributed guess is slowed down, never a lock an attacker can make permanent;
 * - one address across all accounts (password spraying): 30 failures in 15 minutes stop the address
 *   for the rest of the 15 minutes. Successful logins never count, so a school's or an operator's
 *   shared address on an opening morning does not reach it.
 */
export const LOGIN_RULES = {
  pair: { max: 10, windowMs: 15 * 60_000 },
  account: { freeFailures: 20, windowMs: 24 * 3600_000, maxDelayMs: 15 * 60_000 },
  address: { max: 30, windowMs: 15 * 60_000 },
} as const;

/** At most 3 reset links and 3 sign-up e-mails an hour to one address, whoever asks. */
export const MAIL_CAP = { max: 3, windowMs: 3600_000 } as const;

const norm = (email: string) => email.trim().toLowerCase().slice(0, 254);
const keysOf = (address: string, email: string) => ({
  pair: `pair:${address}|${norm(email)}`,
  account: `account:${norm(email)}`,
  address: `address:${address}`,
});

interface Counter {
  failures: number;
  window_start: string;
  last_at: string;
}

/** Pure: how long (ms) a login from `address` for `email` must still wait, 0 when it may try now. */
export function loginWait(counters: { pair?: Counter; account?: Counter; address?: Counter }, now: Date): number {
  const t = now.getTime();
  const waits: number[] = [0];
  const { pair, account, address } = counters;
  if (pair && pair.failures >= LOGIN_RULES.pair.max) waits.push(Date.parse(pair.window_start) + LOGIN_RULES.pair.windowMs - t);
  if (address && address.failures >= LOGIN_RULES.address.max) waits.push(Date.parse(address.window_start) + LOGIN_RULES.address.windowMs - t);
  if (account && account.failures > LOGIN_RULES.account.freeFailures) {
    const delay = Math.min(1000 * 2 ** (account.failures - LOGIN_RULES.account.freeFailures), LOGIN_RULES.account.maxDelayMs);
    waits.push(Date.parse(account.last_at) + delay - t);
  }
  return Math.max(...waits);
}

export function loginThrottle(db: Db) {
  return {
    /** Seconds to wait before this login may be tried, 0 if now. Checked before any password hashing. */
    async waitSeconds(address: string, email: string, now: Date): Promise<number> {
      const keys = keysOf(address, email);
      const rows = await repo.findCounters(db, [keys.pair, keys.account, keys.address]);
      const byKey = new Map(rows.map((r) => [r.key, r]));
      const wait = loginWait({ pair: byKey.get(keys.pair), account: byKey.get(keys.account), address: byKey.get(keys.address) }, now);
      return wait > 0 ? Math.ceil(wait / 1000) : 0;
    },

    async failed(address: string, email: string, now: Date): Promise<void> {
      const keys = keysOf(address, email);
      const since = (ms: number) => new Date(now.getTime() - ms);
      await repo.bump(db, keys.pair, now, since(LOGIN_RULES.pair.windowMs));
      await repo.bump(db, keys.account, now, since(LOGIN_RULES.account.windowMs));
      await repo.bump(db, keys.address, now, since(LOGIN_RULES.address.windowMs));
    },

    /** The owner got in: their account's counters start again (the address's failures stay). */
    async succeeded(address: string, email: string, now: Date): Promise<void> {
      const keys = keysOf(address, email);
      await repo.clear(db, [keys.pair, keys.account]);
      // Housekeeping at the rate of logins: counters idle for a day go.
      if (now.getSeconds() === 0) await repo.deleteStale(db, new Date(now.getTime() - 24 * 3600_000));
    },
  };
}

/**
 * Counts one e-mail of `purpose` to `email` and says whether it may be sent: past the cap, the
 * request gets the same answer but no e-mail leaves (nobody can flood a mailbox through the portal).
 */
export async function mayMail(db: Db, purpose: 'reset' | 'signup', email: string, now: Date): Promise<boolean> {
  const row = await repo.bump(db, `mail:${purpose}:${norm(email)}`, now, new Date(now.getTime() - MAIL_CAP.windowMs));
  return row.failures <= MAIL_CAP.max;
}
