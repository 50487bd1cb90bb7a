import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthTally, type MonthCountRow } from './attendance.month.domain.ts';

test('a month per child and service: booked, waiting (list or draw), present (with or without booking), absent and justified; cancelled and closed days do not count', () => {
  const row = (child: string, service: string, status: MonthCountRow['status'], attendance: MonthCountRow['attendance'], n: number | string): MonthCountRow => ({ child_person_id: child, service_id: service, service_name: service === 's1' ? 'Restauration scolaire' : 'Accueil du soir', status, attendance, n });
  const rows = [
    row('hugo', 's1', 'booked', null, 4),
    row('lea', 's2', 'booked', 'present', '3'), // PostgreSQL counts come as strings
    row('lea', 's1', 'booked', 'present', 5),
    row('lea', 's1', 'booked', 'absent_justified', 1),
    row('lea', 's1', 'booked', 'absent_unjustified', 2),
    row('lea', 's1', 'booked', 'present_unbooked', 1),
    row('lea', 's1', 'waiting', null, 2),
    row('lea', 's1', 'requested', null, 1),
    row('lea', 's1', 'cancelled', null, 6),
    row('tom', 's1', 'closed', null, 2), // nothing but a closed day: no line
  ];
  assert.deepEqual(
    monthTally(rows, ['lea', 'hugo', 'tom']).map((t) => [t.childId, t.serviceName, t.booked, t.waiting, t.present, t.absent, t.justified]),
    [
      ['lea', 'Accueil du soir', 3, 0, 3, 0, 0],
      ['lea', 'Restauration scolaire', 9, 3, 6, 3, 1],
      ['hugo', 'Restauration scolaire', 4, 0, 0, 0, 0],
    ],
  );
  assert.deepEqual(monthTally([], ['lea']), []);
});
