import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkItems, statusOf, type PaymentItem } from './payments.domain.ts';

test('items paid online: at least one, distinct, positive cents, a total PayFiP accepts', () => {
  const item = (invoiceId: string, amountCents: number): PaymentItem => ({ invoiceId, amountCents });
  const cases: [PaymentItem[], ReturnType<typeof checkItems>][] = [
    [[item('f1', 1250)], { ok: true, totalCents: 1250 }],
    [[item('f1', 700), item('f2', 550)], { ok: true, totalCents: 1250 }],
    [[], { ok: false, code: 'no_items' }],
    [[item('f1', 700), item('f1', 550)], { ok: false, code: 'invalid_items' }],
    [[item('f1', 0)], { ok: false, code: 'invalid_items' }],
    [[item('f1', -100), item('f2', 300)], { ok: false, code: 'invalid_items' }],
    [[item('f1', 12.5)], { ok: false, code: 'invalid_items' }],
    [[item('f 1', 1000)], { ok: false, code: 'invalid_items' }],
    [[item('x'.repeat(65), 1000)], { ok: false, code: 'invalid_items' }],
    [Array.from({ length: 51 }, (_, i) => item(`f${i}`, 100)), { ok: false, code: 'invalid_items' }],
    [[item('f1', 99)], { ok: false, code: 'amount_too_low' }],
    [[item('f1', 60), item('f2', 40)], { ok: true, totalCents: 100 }],
    [[item('f1', 9_999_999)], { ok: true, totalCents: 9_999_999 }],
    [[item('f1', 9_999_999), item('f2', 1)], { ok: false, code: 'amount_too_high' }],
  ];
  for (const [items, expected] of cases) assert.deepEqual(checkItems(items), expected, JSON.stringify(items).slice(0, 80));
});

test('a final outcome gives the stored status and the means of a payment', () => {
  assert.deepEqual(statusOf('paid_card'), { status: 'paid', means: 'card' });
  assert.deepEqual(statusOf('paid_direct_debit'), { status: 'paid', means: 'direct_debit' });
  assert.deepEqual(statusOf('refused'), { status: 'refused', means: null });
  assert.deepEqual(statusOf('abandoned'), { status: 'abandoned', means: null });
});
