import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { sha256 } from '../../platform/security/secrets.ts';
import { insertNotice } from '../../platform/notices/notices.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import { guardianEmails } from '../households/households.shared-service.ts';
import { drawMailText, drawNoticeText, drawUnits, type DrawnDay } from './catalogue.draw.ts';
import type { DrawRefusal } from './catalogue.outcomes.ts';
import * as repo from './catalogue.repository.ts';

type DrawnPeriod = NonNullable<Awaited<ReturnType<typeof repo.findPeriod>>>;

/**
 * The draw of a period whose requests are closed (checked by the catalogue service), in one
 * transaction: the period is claimed, each unit of the draw (a day, or a child's week) gets its
 * places or goes on the waiting lists in the order of `drawUnits`, and every household is told its
 * result on the portal and by one e-mail per address. The rules are in catalogue.draw.ts.
 */
export async function allocateByDraw(ctx: AppContext, auth: Auth, period: DrawnPeriod, now: Date): Promise<Result<{ booked: number; waiting: number; households: number }, DrawRefusal>> {
  const { db, config } = ctx;
  const periodId = period.id;
  return db.transaction().execute(async (tx) => {
    if (!(await repo.claimDraw(tx, periodId, now))) return fail('already_drawn' as const);
    const rows = await repo.requestsToDraw(tx, period);
    const results = new Map<string, DrawnDay[]>();
    let booked = 0;
    let waiting = 0;
    for (const unit of drawUnits(rows, period.draw_mode, periodId, sha256)) {
      const given = await repo.takePlacesTogether(tx, unit.items.map((r) => r.slot_id));
      for (const r of unit.items) {
        let position: number | null = null;
        if (given) {
          await repo.setDrawn(tx, r.id, 'booked', null, now);
          booked++;
        } else {
          const place = await repo.joinWaitingList(tx, r.slot_id);
          await repo.setDrawn(tx, r.id, 'waiting', place.rank, now);
          position = place.position;
          waiting++;
        }
        const days = results.get(r.household_id) ?? [];
        days.push({ childId: r.child_person_id, firstName: r.first_name, day: r.day, what: `${r.service_name} – ${r.unit_label}`, waitingPosition: position });
        results.set(r.household_id, days);
      }
    }
    for (const [householdId, days] of results) {
      await insertNotice(tx, householdId, drawNoticeText(period.label, days), now);
      const text = drawMailText({ periodLabel: period.label, start: period.start_date, end: period.end_date, days, bookingsUrl: `${config.publicUrl}/reservations`, townName: config.town.name });
      for (const to of await guardianEmails(tx, householdId)) {
        await insertMail(tx, now, { kind: 'draw-result', to, subject: `Résultat du tirage : ${period.label} – ${config.town.name}`, text, dedupeKey: `draw:${periodId}:${householdId}:${to}` });
      }
    }
    const mode = period.draw_mode === 'request' ? 'par demande' : 'par jour';
    await writeAudit(tx, now, actorOf(auth), { action: 'period.allocated', targetType: 'period', targetId: periodId, summary: `Attribution des places par tirage (${mode}) : ${booked} jour${booked > 1 ? 's' : ''} attribué${booked > 1 ? 's' : ''}, ${waiting} en liste d'attente, ${results.size} famille${results.size > 1 ? 's' : ''} prévenue${results.size > 1 ? 's' : ''}` });
    return ok({ booked, waiting, households: results.size });
  });
}
