import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import { familyActorOf, familyOf, requireHousehold, type FamilyActor } from '../../platform/http/actor.ts';
import { RESUMED_NOTICE } from '../../platform/http/resume.ts';
import type { AppContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { day, form, idParams, list, month, text, uuid } from '../../platform/http/input.ts';
import type { FieldErrors } from '../../platform/ui/components.tsx';
import { addDays, dayLabel, isRealDay, mondayOf, monthDays, monthLabel } from '../../platform/calendar/calendar.domain.ts';
import type { BookingsService, Change, ChangeResult } from './bookings.service.ts';
import { daySpan, MAX_CALENDAR_DAYS, MAX_PATTERN_DAYS } from './bookings.domain.ts';
import { ABSENCE_OUTCOMES, confirmationText, costText, serviceUnitLabel, type DayStatus } from './bookings.outcomes.ts';
import { CHOICE_PREFIX, NO_CHOICE } from './bookings.week-views.tsx';
import * as v from './bookings.family-views.tsx';
import { AllocationRulesPage, RULES_URL } from './bookings.openings.components.tsx';
import { OutOfPeriodPage } from './bookings.week-views.tsx';
import { navigationService } from './bookings.navigation-service.ts';
import { bookingsWeekRoutes } from './bookings.week-routes.tsx';
import { missingEnrolments } from '../enrolments/enrolments.shared-service.ts';

// A day of the month form: child | unit | day, and in `affiche` also what the day was when the page
// was drawn. Keys are checked here, as a shape: an impossible date, a key sent twice or a value that
// is not a key is a malformed form (400), never a booking attempt.
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^(${UUID})\\|(${UUID})\\|(\\d{4}-\\d{2}-\\d{2})$`);
const STATUSES: readonly DayStatus[] = ['booked', 'waiting', 'requested', 'none'];
const MAX_KEYS = 600;
const INVALID_KEY = 'case du calendrier invalide';
const NO_SUCH_DAY = 'cette date n\'existe pas';
const TWICE = 'le même jour est envoyé deux fois';

const TOO_MANY = 'trop de cases envoyées';

/** Sent once, several times or not at all (a month without an open day): always an array. */
const asList = (v: unknown): unknown[] => (v === undefined ? [] : new Array<unknown>().concat(v));

type ShownDay = { key: string; childId: string; unitId: string; day: string; shown: DayStatus };
type Read<T> = (value: string) => { key: string; item: T } | 'invalid' | 'no_such_day';

/**
 * A list of keys (`reserve`, `affiche`), read and checked in one pass: at most MAX_KEYS bounded
 * strings, each child | unit | day with a date that exists, none sent twice. The opening-day rush
 * posts this form thousands of times a minute: one loop costs a fraction of a schema per key.
 * Issues carry the key's place, as an item schema would.
 */
const keyList = <T,>(maxLength: number, read: Read<T>) =>
  z.unknown().optional().transform((raw, check): T[] => {
    const values = asList(raw);
    if (values.length > MAX_KEYS) {
      check.addIssue({ code: 'custom', message: TOO_MANY });
      return z.NEVER;
    }
    const seen = new Set<string>();
    const items: T[] = [];
    values.forEach((value, i) => {
      const r = typeof value === 'string' && value.length <= maxLength ? read(value) : 'invalid';
      if (typeof r === 'string') return check.addIssue({ code: 'custom', message: r === 'invalid' ? INVALID_KEY : NO_SUCH_DAY, path: [i] });
      if (seen.has(r.key)) return check.addIssue({ code: 'custom', message: TWICE });
      seen.add(r.key);
      items.push(r.item);
    });
    return items;
  });

function readKey(key: string) {
  const m = KEY.exec(key);
  if (!m) return 'invalid' as const;
  // Years 2000–2099, as every day of the portal (input.ts).
  return m[3].startsWith('20') && isRealDay(m[3]) ? { childId: m[1], unitId: m[2], day: m[3] } : ('no_such_day' as const);
}

const bookingKeys = keyList(84, (value) => {
  const r = readKey(value);
  return typeof r === 'string' ? r : { key: value, item: value };
});

/** Displayed days: each key and what it was when the page was drawn (`<key>|<status>`). */
const shownDaysWithin = (maxSpan: number) =>
  keyList<ShownDay>(100, (value) => {
    const cut = value.lastIndexOf('|');
    const shown = STATUSES.find((st) => st === value.slice(cut + 1));
    const key = value.slice(0, cut);
    if (!shown) return 'invalid';
    const r = readKey(key);
    return typeof r === 'string' ? r : { key, item: { key, ...r, shown } };
  }).refine((days) => days.length === 0 || daySpan(days.reduce((a, d) => (d.day < a ? d.day : a), days[0].day), days.reduce((a, d) => (d.day > a ? d.day : a), days[0].day)) <= maxSpan, 'les jours envoyés couvrent une période trop longue');
const shownDays = shownDaysWithin(MAX_CALENDAR_DAYS);

/**
 * Units that exclude each other are offered as one choice per child and day (radio buttons need a
 * name of their own: `choix-<child>-<day>`); the value chosen is a `reserve` key like any box, or
 * « aucune ». Moved into `reserve` before parsing, so that the same rules check it.
 */
function withChoices(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const fields = body as Record<string, unknown>;
  const names = Object.keys(fields).filter((name) => name.startsWith(CHOICE_PREFIX));
  if (names.length === 0) return body;
  const rest = Object.fromEntries(Object.entries(fields).filter(([name]) => !name.startsWith(CHOICE_PREFIX)));
  const chosen = names.slice(0, MAX_KEYS + 1).flatMap((name) => asList(fields[name])).filter((value) => value !== NO_CHOICE);
  return { ...rest, reserve: [...asList(fields.reserve), ...chosen] };
}
/** « Confirmer » on the summary page: the same form again, this time to be applied. */
const confirmed = z.literal('oui').optional();

const MonthQuery = z.object({ mois: month.optional() });
const MonthBody = z.preprocess(
  withChoices,
  form({
    mois: month.optional(),
    /** Sent by the week view: the Monday of the week to go back to. */
    semaine: day.optional(),
    affiche: shownDays,
    reserve: bookingKeys,
    confirme: confirmed,
  }),
);

const PatternBody = form({
  enfants: list(20, uuid),
  unites: list(20, uuid),
  jours: list(7, text(2)),
  debut: text(40).optional(),
  fin: text(40).optional(),
  action: text(20).optional(),
  // On the summary page of a cancellation: the days it listed, with what each was (as the month form).
  affiche: shownDaysWithin(MAX_PATTERN_DAYS),
  confirme: confirmed,
});

/** A form that cancels any day, or changes more than this many, is summarised and confirmed first (RGAA 11.12). */
export const CONFIRM_ABOVE = 10;

/** The days a form would change, as its page showed them: what would be cancelled, what booked. */
export function pendingChanges(changes: Change[]) {
  const changing = changes.filter((c) => c.shown !== undefined && (c.shown !== 'none') !== c.want);
  return { cancels: changing.filter((c) => !c.want), books: changing.filter((c) => c.want) };
}

export const needsConfirmation = (p: ReturnType<typeof pendingChanges>) => p.cancels.length > 0 || p.cancels.length + p.books.length > CONFIRM_ABOVE;

/** The days of a month form: what the person left ticked, with what each day was on the page. */
export function monthChanges(affiche: z.infer<typeof MonthBody>['affiche'], reserve: string[]): Change[] {
  const wanted = new Set(reserve);
  return affiche.map(({ key, childId, unitId, day: d, shown }) => ({ childId, unitId, day: d, want: wanted.has(key), shown }));
}

/** The family's booking calendar: a month per page, a form per month, a weekly pattern, absences. */
export function bookingsFamilyRoutes(app: App, ctx: AppContext, bookings: BookingsService) {
  const navigation = navigationService(ctx);

  /** The household's children's first names and their units in words, from the calendar of one day. */
  async function namesOf(actor: FamilyActor, someDay: string) {
    const calendars = await bookings.calendar(actor, someDay, someDay);
    const children = new Map(calendars.map((c) => [c.child.id, c.child.first_name]));
    const units = new Map(calendars.flatMap((c) => c.rows.map((r) => [r.unit.id, `${r.serviceName.toLowerCase()}, ${r.unit.label.toLowerCase()}`] as const)));
    return { child: (id: string) => children.get(id) ?? '', unit: (id: string) => units.get(id) ?? '' };
  }

  /**
   * Names for the results, from the calendar the family sees, with what each day costs now (one
   * pricer load for the range; a weekly pattern wider than a calendar page is named without prices).
   * Days that did not change are left out.
   */
  async function describe(actor: FamilyActor, results: ChangeResult[]) {
    const listed = results.filter((r) => r.code !== 'unchanged');
    if (listed.length === 0) return [];
    const days = listed.map((r) => r.day).sort();
    const priced = daySpan(days[0], days[days.length - 1]) <= MAX_CALENDAR_DAYS;
    const calendars = await bookings.calendar(actor, days[0], priced ? days[days.length - 1] : days[0], { prices: priced });
    const children = new Map(calendars.map((c) => [c.child.id, c.child.first_name]));
    const units = new Map(calendars.flatMap((c) => c.rows.map((r) => [r.unit.id, `${r.serviceName.toLowerCase()}, ${r.unit.label.toLowerCase()}`] as const)));
    const prices = new Map(calendars.flatMap((c) => c.rows.flatMap((r) => r.days.map((d) => [`${c.child.id}|${r.unit.id}|${d.day}`, d.price?.amountCents ?? null] as const))));
    return listed
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((r) => ({ ...r, childName: children.get(r.childId) ?? '', unitLabel: units.get(r.unitId) ?? '', priceCents: prices.get(`${r.childId}|${r.unitId}|${r.day}`) ?? null }));
  }

  /** « Vous allez annuler 3 jours : … », by child and date, with the form to confirm. */
  async function summary(req: FastifyRequest, reply: FastifyReply, actor: FamilyActor, pending: ReturnType<typeof pendingChanges>, form: v.ConfirmForm, notice?: string) {
    const all = [...pending.cancels, ...pending.books];
    const names = await namesOf(actor, all.map((c) => c.day).sort()[0]);
    const named = (cs: Change[]) => [...cs].sort((a, b) => a.day.localeCompare(b.day) || names.child(a.childId).localeCompare(names.child(b.childId))).map((c) => ({ childName: names.child(c.childId), day: c.day, unitLabel: names.unit(c.unitId) }));
    return reply.page(v.ConfirmPage({ ctx: req.pageCtx(), cancels: named(pending.cancels), books: named(pending.books), form, notice }));
  }

  /**
   * Every day that changed, was refused or was changed elsewhere meanwhile is named: in the message
   * above the calendar when all went through, on a results page otherwise (409) or when the list is
   * too long for a message.
   */
  async function answer(req: FastifyRequest, reply: FastifyReply, actor: FamilyActor, results: ChangeResult[], back: string) {
    if (req.headers.accept === 'application/json') return reply.send({ results });
    const named = await describe(actor, results);
    const allDone = named.every((r) => r.ok);
    const message = [confirmationText(named), costText(named)].filter(Boolean).join(' ');
    if (allDone && message.length <= 1000) return reply.flash(message).seeOther(back);
    return reply.page(v.ResultsPage({ ctx: req.pageCtx(), results: named, back }), allDone ? 200 : 409);
  }

  app.get('/reservations', { onRequest: requireHousehold, schema: { querystring: MonthQuery } }, async (req, reply) => {
    const actor = familyOf(req);
    const today = ctx.clock.today();
    const shown = req.query.mois ?? today.slice(0, 7);
    // Only months that meet a period the town has opened: others have nothing to book, and say so.
    const days = monthDays(shown);
    const [place, calendars, notices, periodNotes, missing] = await Promise.all([navigation.month(shown), bookings.calendar(actor, days[0], days[days.length - 1], { prices: true }), bookings.notices(actor), bookings.periodNotes(actor), bookings.childrenOfPage(actor).then((children) => missingEnrolments(ctx.db, children, today))]);
    if (!place.inside) return reply.page(OutOfPeriodPage({ ctx: req.pageCtx(), what: `en ${monthLabel(shown)}`, nearest: place.nearest, opened: place.opened, view: 'month', missing }));
    const week = today.startsWith(shown) ? today : days[0];
    return reply.page(v.CalendarPage({ ctx: req.pageCtx(), today, month: shown, prev: place.prev, next: place.next, week: mondayOf(week), calendars, notices: notices.slice(0, 5), periodNotes, missing }));
  });
  app.get(RULES_URL, async (req, reply) => reply.page(AllocationRulesPage({ ctx: req.pageCtx() })));

  app.post('/reservations', { onRequest: requireHousehold, schema: { body: MonthBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const { affiche, reserve, mois, semaine, confirme } = req.body;
    const changes = monthChanges(affiche, reserve);
    const back = backTo(mois, semaine);
    // A cancellation (or many changes) is hard to undo: it is shown first, and applied only once
    // confirmed. The summary carries the form as drawn (`affiche`), so a day changed meanwhile is
    // still a conflict on « Confirmer ». API clients (JSON) confirm by sending the form.
    const pending = pendingChanges(changes);
    if (confirme !== 'oui' && req.headers.accept !== 'application/json' && needsConfirmation(pending)) return summary(req, reply, actor, pending, monthForm(req.body, back));
    // The waiting-list rank is when the request came in, not when it reaches the database.
    const results = await bookings.applyFamilyChanges(actor, changes, { arrival: req.receivedAt });
    return answer(req, reply, actor, results, back);
  });

  /** The month form again, on the summary page: as drawn (`affiche`), so a day changed meanwhile is a conflict. */
  const monthForm = ({ mois, semaine, affiche, reserve }: z.infer<typeof MonthBody>, back: string): v.ConfirmForm => ({
    action: '/reservations',
    back,
    fields: [...(mois ? [['mois', mois] as const] : []), ...(semaine ? [['semaine', semaine] as const] : []), ...affiche.map((d) => ['affiche', `${d.key}|${d.shown}`] as const), ...reserve.map((k) => ['reserve', k] as const)],
  });

  /** Where a booking form leads back: the week it came from (phone view), or its month. */
  const backTo = (mois: string | undefined, semaine: string | undefined) => (semaine ? `/reservations/semaine?du=${mondayOf(semaine)}` : `/reservations?mois=${mois ?? ctx.clock.today().slice(0, 7)}`);

  // Posted just after the session expired (platform/http/resume.ts): after the login, the same
  // summary shows what the person had ticked, to confirm with a fresh token.
  app.resumableForms.set('/reservations', {
    back: (fields) => backTo(month.safeParse(fields.mois).data, day.safeParse(fields.semaine).data),
    async resume(req, reply, saved) {
      const actor = req.auth && familyActorOf(req.auth);
      const parsed = MonthBody.safeParse(saved.fields);
      if (!actor || !parsed.success) return reply.seeOther(saved.back);
      const pending = pendingChanges(monthChanges(parsed.data.affiche, parsed.data.reserve));
      if (pending.cancels.length + pending.books.length === 0) return reply.seeOther(saved.back);
      return summary(req, reply, actor, pending, monthForm(parsed.data, saved.back), RESUMED_NOTICE);
    },
  });

  async function patternPage(actor: FamilyActor) {
    const today = ctx.clock.today();
    const calendars = await bookings.calendar(actor, today, today);
    const units = new Map(calendars.flatMap((c) => c.rows.map((r) => [r.unit.id, { id: r.unit.id, label: serviceUnitLabel(r.serviceName, r.unit.label) }] as const)));
    return { children: calendars.filter((c) => c.rows.length > 0).map((c) => c.child), units: [...units.values()] };
  }

  app.get('/reservations/semaine-type', { onRequest: requireHousehold }, async (req, reply) => {
    const actor = familyOf(req);
    const today = ctx.clock.today();
    return reply.page(v.WeeklyPatternPage({ ctx: req.pageCtx(), ...(await patternPage(actor)), values: { debut: today, fin: addDays(today, 27) } }));
  });

  app.post('/reservations/semaine-type', { onRequest: requireHousehold, schema: { body: PatternBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const body = req.body;
    const selected = { enfants: body.enfants, unites: body.unites, jours: body.jours };
    const values = { debut: body.debut ?? '', fin: body.fin ?? '', action: body.action ?? '' };
    // Every check runs on the values alone, before a single day is built: a range of ten thousand
    // years is refused as fast as a missing weekday.
    const errors: FieldErrors = {};
    if (selected.enfants.length === 0) errors.enfants = 'Choisissez au moins un enfant';
    if (selected.unites.length === 0) errors.unites = 'Choisissez au moins un service';
    if (selected.jours.length === 0 || selected.jours.some((d) => !/^[1-5]$/.test(d))) errors.jours = 'Choisissez au moins un jour de la semaine';
    const start = day.safeParse(values.debut).success;
    if (!start) errors.debut = 'Saisissez une date de début valide, par exemple 2027-01-04';
    if (!day.safeParse(values.fin).success) errors.fin = 'Saisissez une date de fin valide, par exemple 2027-01-29';
    else if (start && values.fin < values.debut) errors.fin = 'La date de fin doit être après la date de début';
    else if (start && daySpan(values.debut, values.fin) > MAX_PATTERN_DAYS) errors.fin = 'Choisissez une période de trois mois au plus';
    if (values.action !== 'reserver' && values.action !== 'annuler') errors.action = 'Choisissez de réserver ou d\'annuler';
    if (Object.keys(errors).length > 0) return reply.page(v.WeeklyPatternPage({ ctx: req.pageCtx(), ...(await patternPage(actor)), errors, values, selected }), 400);
    const changes = bookings.weeklyChanges(selected.enfants, selected.unites, selected.jours.map(Number), values.debut, values.fin, values.action === 'reserver');
    const back = `/reservations?mois=${values.debut.slice(0, 7)}`;
    if (values.action === 'annuler') {
      if (body.confirme === 'oui') {
        // Only the days the summary listed, each as it was then: one booked since (by the other
        // parent) is a conflict, never cancelled unseen.
        const listed = body.affiche.filter((d) => changes.some((c) => c.childId === d.childId && c.unitId === d.unitId && c.day === d.day));
        const results = await bookings.applyFamilyChanges(actor, listed.map((d) => ({ childId: d.childId, unitId: d.unitId, day: d.day, want: false, shown: d.shown })), { arrival: req.receivedAt });
        return answer(req, reply, actor, results, back);
      }
      const cancels = await cancellableDays(actor, changes, values.debut, values.fin);
      if (cancels.length === 0) return answer(req, reply, actor, [], back);
      const fields = [
        ...selected.enfants.map((id) => ['enfants', id] as const),
        ...selected.unites.map((id) => ['unites', id] as const),
        ...selected.jours.map((d) => ['jours', d] as const),
        ['debut', values.debut] as const,
        ['fin', values.fin] as const,
        ['action', 'annuler'] as const,
        ...cancels.map((c) => ['affiche', `${c.childId}|${c.unitId}|${c.day}|${c.shown}`] as const),
      ];
      return summary(req, reply, actor, { cancels, books: [] }, { action: '/reservations/semaine-type', back: '/reservations/semaine-type', fields });
    }
    const results = await bookings.applyFamilyChanges(actor, changes, { skipClosed: true, arrival: req.receivedAt });
    return answer(req, reply, actor, results, back);
  });

  /** The days of a « Semaine type → Annuler » that are booked and may still be cancelled, with their state. */
  async function cancellableDays(actor: FamilyActor, changes: Change[], start: string, end: string): Promise<Change[]> {
    const wanted = new Set(changes.map((c) => `${c.childId}|${c.unitId}|${c.day}`));
    const found: Change[] = [];
    // The calendar reads two months at most: a three-month pattern is read in two parts.
    for (let from = start; from <= end; from = addDays(from, MAX_CALENDAR_DAYS + 1)) {
      const to = addDays(from, MAX_CALENDAR_DAYS) < end ? addDays(from, MAX_CALENDAR_DAYS) : end;
      for (const { child, rows } of await bookings.calendar(actor, from, to)) {
        for (const row of rows) {
          for (const d of row.days) {
            const s = d.state;
            if (s.kind === 'closed' || s.kind === 'free' || !s.open || !wanted.has(`${child.id}|${row.unit.id}|${d.day}`)) continue;
            found.push({ childId: child.id, unitId: row.unit.id, day: d.day, want: false, shown: s.kind });
          }
        }
      }
    }
    return found;
  }

  app.get('/reservations/absence/:id', { onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) => {
    const actor = familyOf(req);
    const { id } = req.params;
    const booking = await bookings.bookingOfHousehold(actor, id);
    if (!booking) throw new NotFoundError();
    return reply.page(v.AbsencePage({ ctx: req.pageCtx(), bookingId: id, summary: `${booking.childName} ne viendra pas le ${dayLabel(booking.day, true)} (${booking.unitLabel.toLowerCase()}).` }));
  });

  app.post('/reservations/absence/:id', { onRequest: requireHousehold, schema: { params: idParams, body: form({}).optional() } }, async (req, reply) => {
    const actor = familyOf(req);
    const { id } = req.params;
    const result = await bookings.declareAbsence(actor, id);
    if (!result.ok) {
      const booking = await bookings.bookingOfHousehold(actor, id);
      return reply.page(v.AbsencePage({ ctx: req.pageCtx(), bookingId: id, summary: booking ? `${booking.childName}, ${dayLabel(booking.day, true)}` : '', error: ABSENCE_OUTCOMES[result.code] }), 400);
    }
    return reply.flash('L\'absence est signalée à l\'équipe.').seeOther('/reservations');
  });

  bookingsWeekRoutes(app, ctx, bookings);
}
