import type { AppContext } from '../../platform/context.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import { actorOf, type FamilyActor } from '../../platform/http/actor.ts';
import { bookingFormFacts, guardianEmails } from '../households/households.shared-service.ts';
import { AUDIT, confirmationText, NOTICES, type NamedResult } from './bookings.outcomes.ts';
import type { ChangeResult } from './bookings.writes.ts';

/**
 * What a family's booking form did, kept once per form (not per day) in the household's history
 * (« Historique »), and sent by e-mail to its guardians when the family asked for it. Written inside
 * the form's transaction (the bookings, their trace and the e-mail commit together); read before it.
 */
/** The household's children, names and e-mail choice, read once by the form (bookingFormFacts). */
export type HouseholdFormFacts = Awaited<ReturnType<typeof bookingFormFacts>>;

export function bookingRecap(ctx: AppContext) {
  const { config, db } = ctx;
  return {
    /**
     * What the record needs, read before the form's transaction: on PostgreSQL the transaction holds
     * the days' locks that every family booking those days waits for, so it only writes. The names
     * and the e-mail choice come from the form's own read of the household.
     */
    async prepare(actor: FamilyActor, facts: HouseholdFormFacts) {
      return { names: facts.names, to: facts.wantsMail ? await guardianEmails(db, actor.householdId) : [] };
    },

    async record(tx: Executor, actor: FamilyActor, read: { names: Map<string, string>; to: string[] }, results: ChangeResult[], now: Date) {
      const listed = results.filter((r) => r.code !== 'unchanged');
      // A form that changed nothing (every day refused) leaves nothing in the history: its page said why.
      if (!listed.some((r) => r.ok)) return;
      // One shape for every day, whatever its outcome carries: the text is built once per form of an
      // opening day, and objects of one shape keep its compiled code from being thrown away.
      const named = listed
        .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
        .map((r): NamedResult => ({ code: r.code, day: r.day, childName: read.names.get(r.childId) ?? '', position: r.position, closed: r.closed, name: r.name, at: r.at, current: r.current }));
      const text = confirmationText(named, true);
      const by = actorOf(actor.auth);
      await writeAudit(tx, now, by, { action: 'booking.family_form', targetType: 'household', targetId: actor.householdId, summary: AUDIT.familyForm(text) });
      for (const to of read.to) {
        await insertMail(tx, now, {
          kind: 'booking-recap',
          to,
          subject: `${NOTICES.recapSubject} – ${config.town.name}`,
          text: NOTICES.mail(NOTICES.recap(text, by.label), config.publicUrl, config.town.name),
          householdId: actor.householdId,
        });
      }
    },
  };
}
