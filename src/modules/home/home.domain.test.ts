import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, daysBetween, weekday } from '../../platform/calendar/calendar.domain.ts';
import type { DayState } from '../bookings/bookings.domain.ts';
import type { PeriodNote } from '../bookings/bookings.openings.domain.ts';
import { deadlinesToBook, homeLists, MAX_DEADLINES, noticeHref, shownWeek, weekOf, type HomeCalendar, type HomeRow, type OpenRequest } from './home.domain.ts';

// Tuesday 1 December 2026, 11 h in Paris.
const NOW = new Date('2026-12-01T10:00:00Z');
const TODAY = '2026-12-01';

/** J-2 working days at 12 h (Paris = UTC+1 in December), enough for these tests: two days before at 11:00Z. */
const j2 = (day: string) => new Date(`${addDays(day, weekday(day) <= 2 ? -4 : -2)}T11:00:00Z`);

/** A row over [from, to]: the days in `booked` are booked, service days free (open while before their deadline), weekends closed. */
function row(service: { name: string; kind: HomeRow['serviceKind'] }, unit: string, from: string, to: string, booked: string[] = [], weekdays = [1, 2, 4, 5]): HomeRow {
  return {
    serviceName: service.name,
    serviceKind: service.kind,
    unit: { id: unit, label: unit },
    days: daysBetween(from, to).map((day): { day: string; state: DayState } => {
      if (!weekdays.includes(weekday(day))) return { day, state: { kind: 'closed', closed: 'no_service' } };
      const until = j2(day);
      const kind = booked.includes(day) ? 'booked' : 'free';
      return { day, state: { kind, open: NOW < until, until, ...(NOW < until ? {} : { lock: 'deadline' as const }) } };
    }),
  };
}

const CANTEEN = { name: 'Restauration scolaire', kind: 'canteen' as const };
const FROM = addDays(TODAY, -28);
const TO = addDays(TODAY, 20);

describe('home: the week shown', () => {
  for (const [today, hour, monday, next] of [
    ['2026-12-01', 9, '2026-11-30', false], // Tuesday
    ['2026-12-04', 13, '2026-11-30', false], // Friday morning
    ['2026-12-04', 14, '2026-12-07', true], // Friday from 14 h
    ['2026-12-05', 9, '2026-12-07', true], // Saturday
    ['2026-12-06', 22, '2026-12-07', true], // Sunday
  ] as const) {
    test(`${today} at ${hour} h → week of ${monday}`, () => assert.deepEqual(shownWeek(today, hour), { monday, next }));
  }
});

describe('home: deadlines closing this week for days not booked', () => {
  test('a child with no booking yet is reminded of every day of its service, by week, soonest deadline first', () => {
    const cal: HomeCalendar = { child: { id: 'lea', first_name: 'Léa' }, rows: [row(CANTEEN, 'repas', FROM, TO)] };
    const items = deadlinesToBook([cal], NOW, TODAY);
    assert.ok(items.length > 0);
    for (const i of items) {
      assert.ok(i.until.getTime() > NOW.getTime() && i.until.getTime() <= NOW.getTime() + 7 * 86_400_000, 'closes within 7 days');
      assert.ok(i.days.every((d) => addDays(d, 0) >= TODAY));
    }
    const sorted = [...items].sort((a, b) => a.until.getTime() - b.until.getTime());
    assert.deepEqual(items, sorted);
    // Thursday 3 December's deadline (Tuesday 1st, 12 h) is the first; its week is the week of 30 November.
    assert.equal(items[0].monday, '2026-11-30');
    assert.deepEqual(items[0].days, ['2026-12-03', '2026-12-04']);
    assert.equal(items[0].until.toISOString(), '2026-12-01T11:00:00.000Z');
  });

  test('a child who usually has Mondays and Tuesdays is reminded of those only; a day already booked is no gap', () => {
    const history = daysBetween(FROM, addDays(TODAY, -1)).filter((d) => weekday(d) === 1 || weekday(d) === 2);
    const cal: HomeCalendar = { child: { id: 'hugo', first_name: 'Hugo' }, rows: [row(CANTEEN, 'repas', FROM, TO, [...history, '2026-12-07'])] };
    const items = deadlinesToBook([cal], NOW, TODAY);
    const days = items.flatMap((i) => i.days);
    assert.ok(days.length > 0);
    assert.ok(days.every((d) => weekday(d) === 1 || weekday(d) === 2), days.join());
    assert.ok(!days.includes('2026-12-07'));
  });

  test('holding one unit of a service on a day (half day instead of whole day) leaves no gap that day', () => {
    const holiday = { name: 'Centre de loisirs', kind: 'holiday' as const };
    const all = daysBetween(TODAY, TO).filter((d) => weekday(d) <= 5);
    const cal: HomeCalendar = { child: { id: 'lea', first_name: 'Léa' }, rows: [row(holiday, 'journée', FROM, TO, [], [1, 2, 3, 4, 5]), row(holiday, 'matinée', FROM, TO, all, [1, 2, 3, 4, 5])] };
    assert.deepEqual(deadlinesToBook([cal], NOW, TODAY), []);
  });

  test('at most MAX_DEADLINES items, whatever the number of children', () => {
    const cals = Array.from({ length: 8 }, (_, i) => ({ child: { id: `c${i}`, first_name: `Enfant ${i}` }, rows: [row(CANTEEN, 'repas', FROM, TO)] }));
    assert.equal(deadlinesToBook(cals, NOW, TODAY).length, MAX_DEADLINES);
  });
});

describe('home: this week', () => {
  test('each weekday says what is held, or why the day is closed', () => {
    const r = row(CANTEEN, 'Repas', FROM, TO, ['2026-12-07']);
    r.days = r.days.map((d) => (d.day === '2026-12-08' ? { day: d.day, state: { kind: 'waiting', open: true, position: 2 } } : d.day === '2026-12-10' ? { day: d.day, state: { kind: 'closed', closed: 'closure', name: 'grève' } } : d));
    const week = weekOf({ child: { id: 'lea', first_name: 'Léa' }, rows: [r] }, '2026-12-07');
    assert.deepEqual(week.map((d) => d.day), ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11']);
    assert.equal(week[0].entries[0].kind, 'booked');
    assert.deepEqual(week[1].entries[0], { kind: 'waiting', serviceKind: 'canteen', serviceName: 'Restauration scolaire', unit: 'Repas', position: 2 });
    assert.equal(week[2].closed, null); // Wednesday: no service, nothing to say
    assert.deepEqual(week[3].closed, { why: 'closure', name: 'grève' });
    assert.deepEqual(week[4].entries, []);
  });

  test('a week of school holidays says so for a child with only school services', () => {
    const r = row(CANTEEN, 'Repas', FROM, '2026-12-31');
    r.days = r.days.map((d) => (d.day >= '2026-12-21' ? { day: d.day, state: { kind: 'closed', closed: weekday(d.day) === 3 ? 'no_service' : 'school_holidays' } } : d));
    const week = weekOf({ child: { id: 'lea', first_name: 'Léa' }, rows: [r] }, '2026-12-21');
    assert.deepEqual(week.map((d) => d.closed?.why ?? null), ['school_holidays', 'school_holidays', null, 'school_holidays', 'school_holidays']);
  });
});

const request = (r: Partial<OpenRequest>): OpenRequest => ({ id: 'r1', reference: 'D-2026-0001', type: 'other', status: 'in_review', summary: 'Changement', created_at: '2026-11-20T10:00:00Z', last_from_family: null, ...r });
const note = (stage: PeriodNote['stage'], at: string | null, id: string = stage): PeriodNote => ({ stage, at: at ? new Date(at) : null, results: stage === 'drawn' ? [{ childId: 'lea', text: 'Léa : place obtenue le lundi 21 décembre.' }] : [], period: { id, school_year_id: 'y', kind: 'holiday', label: 'Vacances de Noël', start_date: '2026-12-21', end_date: '2027-01-01', booking_opens_at: null, allocation: 'draw', requests_close_at: null, allocated_at: null, draw_mode: 'day' } });
const empty = { now: NOW, deadlines: [], notes: [], requests: [], enrolments: [], changes: [], notices: [], isDrawNotice: (t: string) => t.startsWith('Résultat du tirage') };

describe('home: the two lists', () => {
  test('nothing pending: « Rien à faire », even with a notice to read', () => {
    assert.equal(homeLists(empty).nothing, true);
    const withNotice = homeLists({ ...empty, notices: [{ at: '2026-11-30T10:00:00Z', text: 'L\'accueil est fermé le jeudi 3 décembre.' }] });
    assert.equal(withNotice.nothing, true);
    assert.equal(withNotice.info.length, 1);
  });

  test('anything under way or to do means something is pending', () => {
    for (const input of [
      { requests: [request({})] },
      { enrolments: [{ request_id: 'r2', status: 'submitted', first_name: 'Léa', service_name: 'Cantine', service_kind: 'canteen' as const }] },
      { changes: [{ id: 'c', kind: 'address' as const, summary: 'x', status: 'pending' as const, reason: null, submitted_at: '2026-11-30T10:00:00Z', decided_at: null }] },
      { notes: [note('awaiting_draw', '2026-11-30T10:00:00Z')] },
      { notes: [note('opens_soon', '2026-12-04T07:00:00Z')] },
    ]) {
      assert.equal(homeLists({ ...empty, ...input }).nothing, false, JSON.stringify(input));
    }
  });

  test('À faire: a request waiting for the family first, then the soonest instant first', () => {
    const deadline = { childId: 'lea', firstName: 'Léa', serviceKind: 'canteen' as const, serviceName: 'Cantine', monday: '2026-12-07', until: new Date('2026-12-03T11:00:00Z'), days: ['2026-12-07'] };
    const lists = homeLists({ ...empty, deadlines: [deadline], notes: [note('opens_soon', '2026-12-02T07:00:00Z'), note('collecting', null, 'c')], requests: [request({ last_from_family: 0 }), request({ id: 'r3', last_from_family: 1 })] });
    assert.deepEqual(lists.todo.map((i) => i.kind), ['reply', 'opening', 'deadline', 'opening']);
    assert.deepEqual(lists.info.map((i) => i.kind), ['request']);
  });

  test('an enrolment request is told once, through its enrolment; a draw\'s notice is left out while its result is shown', () => {
    const lists = homeLists({
      ...empty,
      requests: [request({ id: 'e1', type: 'enrolment' })],
      enrolments: [{ request_id: 'e1', status: 'in_review', first_name: 'Léa', service_name: 'Cantine', service_kind: 'canteen' }],
      notes: [note('drawn', '2026-11-30T10:00:00Z')],
      notices: [{ at: '2026-11-30T10:00:00Z', text: 'Résultat du tirage au sort (Vacances de Noël). Léa : …' }, { at: '2026-11-29T10:00:00Z', text: 'Nous avons bien reçu votre demande D-2026-0002.' }],
    });
    assert.deepEqual(lists.info.map((i) => i.kind), ['draw', 'enrolment', 'notice']);
  });

  test('old notices and old refusals drop off; notices lead where they belong', () => {
    const lists = homeLists({
      ...empty,
      notices: [{ at: '2026-10-01T10:00:00Z', text: 'Ancien message' }],
      changes: [{ id: 'c', kind: 'address', summary: 'x', status: 'refused', reason: 'Justificatif', submitted_at: '2026-09-01T10:00:00Z', decided_at: '2026-09-02T10:00:00Z' }],
    });
    assert.deepEqual(lists.info, []);
    assert.equal(noticeHref('Nous avons bien reçu votre demande D-2026-0002.'), '/demandes');
    assert.equal(noticeHref('Une place s\'est libérée : Léa a maintenant sa place.'), '/reservations');
  });
});
