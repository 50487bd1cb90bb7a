import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { structureReadingOrder } from '../../../test/support/pdf-structure.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatEuros } from '../../platform/format.ts';
import { addDays } from '../../platform/calendar/calendar.domain.ts';
import { invoicePdf, type InvoiceForPdf } from './invoicing.pdf.ts';

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** An invoice long enough for the table to run over several pages, with a credit note and a payment. */
function anInvoice(): InvoiceForPdf {
  const lines: InvoiceForPdf['lines'] = [];
  for (const [child, rank] of [['Léa', 1], ['Noé', 2]] as const) {
    for (let i = 0; i < 22; i++) {
      lines.push({
        child_name: child,
        service_name: 'Restauration scolaire',
        unit_label: 'Repas',
        day: addDays('2026-11-02', i),
        kind: i === 3 ? 'present_without_booking' : 'booked',
        amount_cents: (rank === 1 ? 340 : 306) + (i === 3 ? 100 : 0),
        surcharge_cents: i === 3 ? 100 : 0,
        criterion_label: rank === 1 ? 'QF 600–899' : 'QF 600–899, 2e enfant',
        quotient: 720,
        quotient_source: 'caf',
        quotient_from: '2026-09',
        sibling_rank: rank,
        tariff_version_id: 'tv-1',
        credit_note_number: child === 'Noé' && i === 0 ? 'A-2026-000002' : null,
      });
    }
  }
  const total = lines.reduce((s, l) => s + l.amount_cents, 0);
  return {
    town: 'Beauval',
    invoice: { number: 'F-2026-000123', month: '2026-11', issued_at: '2026-12-02T09:00:00Z', due_on: '2027-01-01', total_cents: total, paid_cents: 1000, credited_cents: 306, payer_name: 'Alex Martin', payer_address: '1 rue de la Paix\n62160 Beauval', regie_name: 'Régie enfance et restauration', reference: 'F-0042', status: 'partly_paid', remaining: total - 306 - 1000 },
    lines,
    creditNotes: [{ number: 'A-2026-000002', issued_at: '2026-12-05T10:00:00Z', amount_cents: 306, reason: 'Absence pour maladie justifiée' }],
  };
}

describe('PDF de la facture : ce qu\'un lecteur d\'écran lit, dans l\'ordre de la structure', () => {
  test('l\'en-tête (commune, numéro, foyer), puis chaque ligne dans l\'ordre avec son calcul, puis les montants', async () => {
    const p = anInvoice();
    const pdf = await invoicePdf(p);
    assert.ok(Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1]) >= 2, 'the table runs over more than one page');
    const read = structureReadingOrder(pdf).map((e) => ({ ...e, text: norm(e.text) }));
    const at = (pred: (e: (typeof read)[number]) => boolean, what: string) => {
      const i = read.findIndex(pred);
      assert.ok(i >= 0, `not read: ${what}`);
      return i;
    };

    // Header: the town and régie, the invoice number as the heading, then the household.
    const town = at((e) => e.tag === 'P' && e.text.startsWith('Beauval – Régie enfance et restauration'), 'town');
    const number = at((e) => e.tag === 'H1' && e.text === 'Facture F-2026-000123', 'number');
    const household = at((e) => e.tag === 'P' && e.text.includes('F-0042') && e.text.includes('Alex Martin') && e.text.includes('62160 Beauval'), 'household');
    assert.ok(town < number && number < household, 'town, number, household in this order');

    // The table: one header row, then every line, in the invoice's order, each with its trace.
    const cells = read.filter((e) => e.tag === 'TH' || e.tag === 'TD');
    const first = read.indexOf(cells[0]);
    assert.ok(household < first, 'the lines after the header');
    assert.deepEqual(cells.filter((c) => c.tag === 'TH').map((c) => c.text), ['Enfant', 'Service', 'Jour', 'Calcul du prix', 'Montant'], 'the column headers read once, not again on the second page');
    const tds = cells.filter((c) => c.tag === 'TD').map((c) => c.text);
    assert.equal(tds.length, p.lines.length * 5);
    p.lines.forEach((l, i) => {
      const [child, service, day, reason, amount] = tds.slice(i * 5, i * 5 + 5);
      const where = `line ${i + 1}`;
      assert.equal(child, l.child_name, where);
      assert.equal(service, 'Restauration scolaire, repas', where);
      assert.equal(day, norm(dayLabel(l.day, true)), where);
      assert.ok(reason.includes(l.criterion_label) && reason.includes('QF 720 (attestation CAF, depuis septembre 2026)'), `${where}: trace « ${reason} »`);
      if (l.kind === 'present_without_booking') assert.match(reason, /major|sans réservation/i, `${where}: the surcharge is said`);
      if (l.credit_note_number) assert.match(reason, /annulé par l'avoir A-2026-000002/, where);
      assert.equal(amount, norm(formatEuros(l.amount_cents)), where);
    });
    const last = read.indexOf(cells[cells.length - 1]);
    assert.ok(read.slice(first, last + 1).every((e) => e.tag === 'TH' || e.tag === 'TD'), 'nothing read in the middle of the table');

    // Then the totals, after the last line.
    const totals = at((e) => e.text === `Total de la facture : ${norm(formatEuros(p.invoice.total_cents))}`, 'total');
    const credited = at((e) => e.text === `Avoirs déduits : ${norm(formatEuros(306))}`, 'credit notes');
    const paid = at((e) => e.text === `Déjà payé : ${norm(formatEuros(1000))}`, 'paid');
    const remaining = at((e) => e.text.startsWith(`Reste à payer : ${norm(formatEuros(p.invoice.remaining))}`), 'remaining');
    assert.ok(last < totals && totals < credited && credited < paid && paid < remaining, 'the amounts after the lines, in order');
    assert.ok(read.slice(0, first).every((e) => e.tag !== 'TD'), 'no line before the header');
    const garbled = read.filter((e) => [...e.text].some((ch) => ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) < 0xa0)));
    assert.deepEqual(garbled, [], 'every character read as written (none outside the fonts\' encoding)');
  });
});
