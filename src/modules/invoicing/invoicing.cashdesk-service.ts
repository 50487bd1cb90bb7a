import type { AppContext } from '../../platform/context.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { addDays, todayIn } from '../../platform/calendar/calendar.domain.ts';
import { formatEuros } from '../../platform/format.ts';
import { newId } from '../../platform/ids.ts';
import { cashJournal, checkClosing, closedByMeans, closureTotals, type ClosingRefusal } from './invoicing.cashdesk.domain.ts';
import { parisDayBounds } from './invoicing.ledger.domain.ts';
import * as repo from './invoicing.cashdesk.repository.ts';
import { regies } from './invoicing.payments.repository.ts';

/** How far back the page looks for days with counter activity that nobody closed. */
const OPEN_DAYS_LOOKBACK = 31;

export type CloseResult = { ok: true; value: { closedAt: string } } | { ok: false; code: 'already_closed'; by: string; at: string } | { ok: false; code: 'invalid'; errors: Partial<Record<'jour' | 'especes' | 'commentaire', ClosingRefusal>> };

/**
 * The régie's cash-desk day (`regie`, `admin`): the day's journal of counter payments and
 * cancellations, its closing — once per régie and day (unique constraint), audited in the same
 * transaction, serialised with the payments through the receipt counter's row — and the closed
 * day's journal for the PDF.
 */
export function cashDeskService(ctx: AppContext) {
  const { db, clock } = ctx;

  async function regieOf(regieId: string | null) {
    const list = await regies(db);
    const regie = regieId ? list.find((r) => r.id === regieId) : list[0];
    if (!regie) throw new NotFoundError();
    return { regie, list };
  }

  async function journalOf(ex: typeof db, regieId: string, day: string) {
    const { from, to } = parisDayBounds(day);
    const [received, cancelled] = await Promise.all([repo.counterPaymentsReceived(ex, regieId, from, to), repo.counterPaymentsCancelled(ex, regieId, from, to)]);
    return cashJournal(received, cancelled);
  }

  /** The days before today with counter activity and no closure, newest first. */
  async function openDays(regieId: string, today: string) {
    const fromDay = addDays(today, -OPEN_DAYS_LOOKBACK);
    const [activity, closed] = await Promise.all([repo.counterActivitySince(db, regieId, parisDayBounds(fromDay).from), repo.closedDaysSince(db, regieId, fromDay)]);
    const closedSet = new Set(closed);
    return [...new Set(activity.map((at) => todayIn(new Date(at))))].filter((d) => d < today && !closedSet.has(d)).sort().reverse();
  }

  return {
    /** The page: the day's journal (as closed, when it is), its closure, online payments apart, and the days left open. */
    async day(auth: Auth | null, regieId: string | null, day: string) {
      assertRole(auth, 'admin', 'regie');
      const { regie, list } = await regieOf(regieId);
      const today = clock.today();
      const { from, to } = parisDayBounds(day);
      const [journal, closure, online, open] = await Promise.all([journalOf(db, regie.id, day), repo.closureOf(db, regie.id, day), repo.onlineReceived(db, regie.id, from, to), openDays(regie.id, today)]);
      return { regie, regies: list, day, today, journal, closure: closure ? { ...closure, byMeans: closedByMeans(closure) } : null, online, openDays: open };
    },

    /**
     * Closes the day: the journal is read after the receipt counter is locked (the payments being
     * recorded are in, the next ones wait and then find the day closed), its totals are written once.
     */
    async close(auth: Auth | null, regieId: string, day: string, input: { counted: string; comment: string }): Promise<CloseResult> {
      assertRole(auth, 'admin', 'regie');
      const { regie } = await regieOf(regieId);
      const now = clock.now();
      const actor = actorOf(auth);
      const by = `${auth.user.firstName} ${auth.user.lastName}`;
      return db.transaction().execute(async (tx): Promise<CloseResult> => {
        await repo.lockReceipts(tx, day.slice(0, 4));
        const existing = await repo.closureOf(tx, regie.id, day);
        if (existing) return { ok: false, code: 'already_closed', by: existing.closed_by_label, at: existing.closed_at };
        const journal = await journalOf(tx, regie.id, day);
        const totals = closureTotals(journal);
        const checked = checkClosing({ day, today: clock.today(), counted: input.counted, comment: input.comment, cashCents: totals.cash_cents });
        if (!checked.ok) return { ok: false, code: 'invalid', errors: checked.errors };
        const closedAt = now.toISOString();
        const row = { id: newId(), regie_id: regie.id, day, closed_at: closedAt, closed_by: auth.user.id, closed_by_label: by, ...totals, counted_cash_cents: checked.countedCents, difference_cents: checked.differenceCents, comment: checked.comment };
        if (!(await repo.insertClosure(tx, row))) {
          const other = (await repo.closureOf(tx, regie.id, day))!;
          return { ok: false, code: 'already_closed', by: other.closed_by_label, at: other.closed_at };
        }
        const diff = checked.differenceCents ? `, écart de caisse ${formatEuros(checked.differenceCents)} (${checked.comment})` : '';
        await writeAudit(tx, now, actor, { action: 'cashdesk.closed', targetType: 'regie', targetId: regie.id, summary: `Caisse du ${day} clôturée (${regie.name}) : ${journal.lines.filter((l) => l.kind === 'payment').length} paiements, ${journal.cancelledCount} annulations, total ${formatEuros(totals.total_cents)}${diff}` });
        return { ok: true, value: { closedAt } };
      });
    },

    /** A closed day's journal for the PDF (404 while the day is open). */
    async closedJournal(auth: Auth | null, regieId: string | null, day: string) {
      assertRole(auth, 'admin', 'regie');
      const { regie } = await regieOf(regieId);
      const closure = await repo.closureOf(db, regie.id, day);
      if (!closure) throw new NotFoundError();
      return { regie, day, journal: await journalOf(db, regie.id, day), closure: { ...closure, byMeans: closedByMeans(closure) } };
    },
  };
}

export type CashDeskService = ReturnType<typeof cashDeskService>;
