import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCalendar, escapeText, fold } from './calendar-feed.domain.ts';

test('iCalendar text is escaped, lines end with CRLF and are folded at 75 octets', () => {
  assert.equal(escapeText('Repas, goûter; sortie\nretour'), 'Repas\\, goûter\\; sortie\\nretour');
  const long = `SUMMARY:${'é'.repeat(60)}`;
  const folded = fold(long);
  for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75);
  assert.equal(folded.replace(/\r\n /g, ''), long);
  const ics = buildCalendar('Réservations – Foyer Durand', [{ uid: 'b1@portail-famille', day: '2026-12-31', summary: 'Léa – Cantine (Repas)' }], new Date('2026-11-28T10:00:00Z'));
  assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
  assert.match(ics, /DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n/);
  assert.match(ics, /DTSTAMP:20261128T100000Z/);
  assert.ok(ics.endsWith('END:VCALENDAR\r\n'));
  assert.doesNotMatch(ics.replace(/\r\n/g, ''), /\n/);
});

test('each booking is one all-day event with its UID, and an empty feed is still a valid calendar', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  const ics = buildCalendar('Foyer', [
    { uid: 'a@portail-famille', day: '2026-12-03', summary: 'Léa – Restauration scolaire (Repas)' },
    { uid: 'b@portail-famille', day: '2027-02-28', summary: 'Tom – Accueil du soir (Goûter, étude)' },
  ], now);
  assert.equal((ics.match(/BEGIN:VEVENT\r\n/g) ?? []).length, 2);
  assert.match(ics, /UID:b@portail-famille\r\nDTSTAMP:20261128T100000Z\r\nDTSTART;VALUE=DATE:20270228\r\nDTEND;VALUE=DATE:20270301\r\nSUMMARY:Tom – Accueil du soir \(Goûter\\, étude\)\r\n/);
  const empty = buildCalendar('Foyer', [], now);
  assert.match(empty, /^BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:[^\r\n]+\r\n/);
  assert.doesNotMatch(empty, /VEVENT/);
  assert.ok(empty.endsWith('END:VCALENDAR\r\n'));
});
