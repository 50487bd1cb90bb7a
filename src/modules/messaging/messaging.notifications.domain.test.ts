import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bookingClosing, checkTemplate, NOTIFICATION_KINDS, NOTIFICATIONS, notificationKey, reminderDue, renderTemplate } from './messaging.notifications.domain.ts';
import { MAIL_TOPICS, topicOf } from './messaging.domain.ts';
import type { MessageCategory as ColumnType } from '../../platform/db/schema-messaging.ts';
import type { MessageCategory } from './messaging.notifications.domain.ts';

// The messages.category column and the domain declare the message categories each (platform code never imports a module):
// they must be one set, which tsc checks here (this line does not compile when they differ).
const sameSet: [ColumnType, MessageCategory] extends [MessageCategory, ColumnType] ? true : false = true;

test('the messages.category column takes exactly the message categories of the domain', () => assert.equal(sameSet, true));

test('every kind: its default text uses only its own placeholders; optional kinds are their own topic, essential ones are essential topics', () => {
  for (const kind of NOTIFICATION_KINDS) {
    const def = NOTIFICATIONS[kind];
    assert.deepEqual(checkTemplate(kind, def.subject, def.body), [], kind);
    assert.deepEqual(Object.keys(def.example).sort(), Object.keys(def.placeholders).sort(), `${kind}: the preview fills every placeholder`);
    const topic = topicOf(def.topic);
    assert.ok(topic, `${kind}: its topic is on the preferences page`);
    assert.equal(topic.essential, def.essential, kind);
    if (!def.essential) assert.equal(def.topic, kind, `${kind}: the unsubscribe link targets the kind`);
  }
  const essential = NOTIFICATION_KINDS.filter((k) => NOTIFICATIONS[k].essential).sort();
  assert.deepEqual(essential, ['invoice_issued', 'invoice_reminder', 'payment_received', 'request_status']);
  assert.ok(MAIL_TOPICS.filter((t) => t.essential).every((t) => t.why), 'the page says why');
});

test('placeholders are filled with plain text; a missing value leaves nothing', () => {
  assert.equal(renderTemplate('Bonjour {{enfant}}, le {{ jour }}{{rien}}.', { enfant: 'Léa', jour: 'jeudi 3 décembre' }), 'Bonjour Léa, le jeudi 3 décembre.');
  assert.equal(renderTemplate('{{enfant}}', { enfant: '{{jour}}', jour: 'x' }), '{{jour}}', 'a value is never read again as a template');
});

test('a town text: bounded, one-line subject, only the kind\'s placeholders, never a secret', () => {
  const codes = (s: string, b: string) => checkTemplate('waiting_list_place', s, b).map((e) => e.code);
  assert.deepEqual(codes('Une place pour {{enfant}}', 'Le {{jour}} : {{lien}}'), []);
  assert.deepEqual(codes('', 'x'), ['subject_missing']);
  assert.deepEqual(codes('a\nb', 'x'), ['subject_multiline']);
  assert.deepEqual(codes('x'.repeat(151), 'x'), ['subject_too_long']);
  assert.deepEqual(codes('x', ' '), ['body_missing']);
  assert.deepEqual(codes('x', 'x'.repeat(3001)), ['body_too_long']);
  assert.deepEqual(checkTemplate('waiting_list_place', 'x', 'Pour {{montant}} et {{ numero }}'), [{ code: 'unknown_placeholder', field: 'body', names: ['montant', 'numero'] }]);
  assert.deepEqual(codes('x', 'Votre lien : {{secret}}'), ['secret_placeholder']);
  assert.deepEqual(codes('{{code_activation}}', 'x'), ['secret_placeholder']);
  assert.deepEqual(codes('x', 'Le {jour} ou {{jour}'), ['stray_braces']);
});

test('a fact reaches a household once: the key names the kind, the fact and the household', () => {
  assert.equal(notificationKey('invoice_issued', 'inv-1', 'h-1'), 'notification:invoice_issued:inv-1:h-1');
  assert.notEqual(notificationKey('invoice_issued', 'inv-1', 'h-1'), notificationKey('invoice_issued', 'inv-1', 'h-2'));
});

test('when holiday bookings close: the first day the service runs (its rule), or the end of requests for a draw', () => {
  const rule = { kind: 'days_before', days: 2, working: true, time: '12:00' } as const;
  // Winter holidays from Saturday 6 February 2027; the service runs Monday to Friday: Monday 8 → Thursday 4, 12 h Paris.
  const closing = bookingClosing({ start: '2027-02-06', end: '2027-02-21', weekdays: [1, 2, 3, 4, 5], rule, allocation: 'fcfs', requestsCloseAt: null });
  assert.equal(closing?.toISOString(), '2027-02-04T11:00:00.000Z');
  assert.equal(bookingClosing({ start: '2027-02-06', end: '2027-02-21', weekdays: [1], rule, allocation: 'draw', requestsCloseAt: '2027-01-20T17:00:00.000Z' })?.toISOString(), '2027-01-20T17:00:00.000Z');
  assert.equal(bookingClosing({ start: '2027-02-06', end: '2027-02-07', weekdays: [1], rule, allocation: 'fcfs', requestsCloseAt: null }), null, 'no day of the service in the period');
  const at = (iso: string) => new Date(iso);
  assert.equal(reminderDue(closing, at('2027-02-02T10:59:59Z')), false, 'more than two days before');
  assert.equal(reminderDue(closing, at('2027-02-02T11:00:00Z')), true);
  assert.equal(reminderDue(closing, at('2027-02-04T10:59:59Z')), true);
  assert.equal(reminderDue(closing, at('2027-02-04T11:00:00Z')), false, 'closed');
});
