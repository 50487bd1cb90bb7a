import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXPLAINED, ofPeriod, periodsToExplainNow, stageOf, type ExplainedPeriod } from './bookings.openings.domain.ts';
import { formatOpening } from '../../platform/calendar/deadlines.domain.ts';

const NOW = new Date('2026-12-01T10:00:00Z');
const TODAY = '2026-12-01';

const period = (p: Partial<ExplainedPeriod> = {}): ExplainedPeriod => ({
  id: p.id ?? 'p1',
  school_year_id: 'y1',
  kind: 'holiday',
  label: 'Vacances de Noël',
  start_date: '2026-12-21',
  end_date: '2027-01-01',
  booking_opens_at: null,
  allocation: 'fcfs',
  requests_close_at: null,
  allocated_at: null,
  draw_mode: 'day',
  ...p,
});

describe('openings: the stage of a period', () => {
  for (const [name, p, stage] of [
    ['opens in 3 days (first come)', period({ booking_opens_at: '2026-12-04T07:00:00Z' }), 'opens_soon'],
    ['opens in 3 days (draw)', period({ booking_opens_at: '2026-12-04T07:00:00Z', allocation: 'draw', requests_close_at: '2026-12-10T11:00:00Z' }), 'opens_soon'],
    ['opens in 30 days: not yet announced', period({ booking_opens_at: '2026-12-31T07:00:00Z' }), null],
    ['first come, already open: nothing to explain', period({ booking_opens_at: '2026-11-01T07:00:00Z' }), null],
    ['draw, taking requests', period({ booking_opens_at: '2026-11-01T07:00:00Z', allocation: 'draw', requests_close_at: '2026-12-10T11:00:00Z' }), 'collecting'],
    ['draw, requests closed, not drawn', period({ allocation: 'draw', requests_close_at: '2026-11-30T11:00:00Z' }), 'awaiting_draw'],
    ['draw done 5 days ago', period({ allocation: 'draw', requests_close_at: '2026-11-20T11:00:00Z', allocated_at: '2026-11-26T09:00:00Z' }), 'drawn'],
    ['draw done 40 days ago', period({ allocation: 'draw', requests_close_at: '2026-10-20T11:00:00Z', allocated_at: '2026-10-22T09:00:00Z' }), null],
    ['period over', period({ allocation: 'draw', end_date: '2026-11-30' }), null],
  ] as const) {
    test(`${name} → ${stage ?? 'not shown'}`, () => assert.equal(stageOf(p, NOW, TODAY)?.stage ?? null, stage));
  }
});

describe('openings: which periods a household is told about', () => {
  test('only the school years and kinds its children are enrolled for, soonest first, bounded', () => {
    const periods = [
      period({ id: 'late', booking_opens_at: '2026-12-15T07:00:00Z' }),
      period({ id: 'soon', booking_opens_at: '2026-12-04T07:00:00Z' }),
      period({ id: 'school', kind: 'school', label: 'Période 3', booking_opens_at: '2026-12-02T07:00:00Z' }),
      period({ id: 'other-year', school_year_id: 'y2', booking_opens_at: '2026-12-02T07:00:00Z' }),
    ];
    const shown = periodsToExplainNow(periods, [{ schoolYearId: 'y1', kind: 'holiday' }], NOW, TODAY);
    assert.deepEqual(shown.map((s) => s.period.id), ['soon', 'late']);
    assert.deepEqual(periodsToExplainNow(periods, [], NOW, TODAY), []);
    const many = Array.from({ length: 10 }, (_, i) => period({ id: `p${i}`, booking_opens_at: `2026-12-${String(i + 2).padStart(2, '0')}T07:00:00Z` }));
    assert.equal(periodsToExplainNow(many, [{ schoolYearId: 'y1', kind: 'holiday' }], NOW, TODAY).length, MAX_EXPLAINED);
  });

  test('a period is named as a sentence says it', () => {
    assert.equal(ofPeriod('Vacances d\'hiver'), 'des vacances d\'hiver');
    assert.equal(ofPeriod('Période 3'), 'de la période 3');
    assert.equal(ofPeriod('Stage de février'), 'de « Stage de février »');
  });

  test('an opening is written « lundi 4 janvier à 8 h » in Paris time', () => {
    assert.equal(formatOpening(new Date('2027-01-04T07:00:00Z')), 'lundi 4 janvier à 8 h');
    assert.equal(formatOpening(new Date('2027-06-01T06:30:00Z')), 'mardi 1er juin à 8 h 30');
  });
});
