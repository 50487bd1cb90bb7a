import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateLong, formatDateTime, formatPhone, formatTime, householdName, plural } from './format.ts';
import { formatDeadline, formatUntil } from './calendar/deadlines.domain.ts';

test('times are written the administrative way', () => {
  const cases: [string, string][] = [
    ['12:00', '12 h'],
    ['18:30', '18 h 30'],
    ['08:05', '8 h 05'],
    ['00:00', '0 h'],
    ['23:59', '23 h 59'],
  ];
  for (const [time, words] of cases) assert.equal(formatTime(time), words, time);
});

test('dates say « 1er » for the first of a month, and times without a colon', () => {
  const cases: [() => string, string][] = [
    [() => formatDateLong('2027-01-01T10:00:00Z'), 'vendredi 1er janvier 2027'],
    [() => formatDateLong('2026-12-03T10:00:00Z'), 'jeudi 3 décembre 2026'],
    [() => formatDateLong('2026-12-11T10:00:00Z'), 'vendredi 11 décembre 2026'],
    [() => formatDateTime('2026-12-01T11:00:00Z'), 'mardi 1er décembre 2026 à 12 h'],
    [() => formatDateTime('2026-11-28T13:05:00Z'), 'samedi 28 novembre 2026 à 14 h 05'],
    [() => formatDateTime('2026-06-21T16:30:00Z'), 'dimanche 21 juin 2026 à 18 h 30'],
    // Late in the evening UTC is already the next day in Paris.
    [() => formatDateTime('2026-12-31T23:30:00Z'), 'vendredi 1er janvier 2027 à 0 h 30'],
  ];
  for (const [format, words] of cases) assert.equal(format(), words);
});

test('deadlines: « mardi 17 novembre, 12 h », and « avant 12 h » on the day itself', () => {
  const noonTue17 = new Date('2026-11-17T11:00:00Z');
  assert.equal(formatDeadline(noonTue17), 'mardi 17 novembre, 12 h');
  assert.equal(formatDeadline(new Date('2026-12-01T17:30:00Z')), 'mardi 1er décembre, 18 h 30');
  assert.equal(formatUntil(noonTue17, new Date('2026-11-17T07:00:00Z')), 'avant 12 h');
  assert.equal(formatUntil(noonTue17, new Date('2026-11-16T07:00:00Z')), 'jusqu\'au mardi 17 novembre, 12 h');
});

test('plurals agree with the number, never « demande(s) »', () => {
  const cases: [number, string][] = [
    [0, '0 demande'],
    [1, '1 demande'],
    [2, '2 demandes'],
    [3, '3 demandes'],
  ];
  for (const [n, words] of cases) assert.equal(plural(n, 'demande', 'demandes'), words);
  assert.equal(plural(2, 'changement enregistré', 'changements enregistrés'), '2 changements enregistrés');
});

test('phone numbers are spaced by pairs; anything else is left as typed', () => {
  const cases: [string, string][] = [
    ['0123456789', '01\u00a023\u00a045\u00a067\u00a089'],
    ['01.23.45.67.89', '01\u00a023\u00a045\u00a067\u00a089'],
    ['01 23 45 67 89', '01\u00a023\u00a045\u00a067\u00a089'],
    ['+33123456789', '+33\u00a01\u00a023\u00a045\u00a067\u00a089'],
    ['3939', '3939'],
  ];
  for (const [phone, shown] of cases) assert.equal(formatPhone(phone), shown, phone);
});

test('a household is named once: « le foyer Durand », not « le foyer Foyer Durand »', () => {
  assert.equal(householdName('Foyer Durand'), 'Durand');
  assert.equal(householdName('Foyer Durand – Martin'), 'Durand – Martin');
  assert.equal(householdName('Durand'), 'Durand');
});
