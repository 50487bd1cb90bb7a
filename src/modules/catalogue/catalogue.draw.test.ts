import { bookingsService } from '../bookings/bookings.service.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { startTestSmtp, type TestSmtp } from '../../../test/support/smtp.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aService } from '../../../test/support/catalogue.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { newId } from '../../platform/ids.ts';
import * as cat from './catalogue.repository.ts';
import { catalogueService } from './catalogue.service.ts';
import { drawUnits } from './catalogue.draw.ts';
import { createHash } from 'node:crypto';

const BASE = '/agent/catalogue';
const MONDAY = '2027-02-15';
const TUESDAY = '2027-02-16';
const FIRST_NAMES = ['Léa', 'Noé', 'Inès'];

/**
 * The scenario: 60 children (20 households of 3) each ask for two consecutive days of a
 * holiday period with 40 places a day. Drawn per day, some children get one day of the two; drawn
 * per request, each child gets both days or none. Every household learns its result on the
 * portal and by one e-mail per address, by child and date, with its place on each waiting list.
 */
for (const engine of testEngines()) {
  describe(`the draw (${engine})`, () => {
    let t: TestApp;
    let smtp: TestSmtp;
    let auth: Auth;
    let service: Awaited<ReturnType<typeof aService>>;
    const households: { id: string; email: string; children: string[] }[] = [];

    before(async () => {
      smtp = await startTestSmtp();
      t = await createTestApp(engine, { now: '2027-01-10T10:00:00Z', smtpUrl: smtp.url });
      auth = await agentAuth(t.ctx, ['enfance']);
      service = await aService(t.ctx, { kind: 'holiday', places: 40 });
      const agents = householdsAgentService(t.ctx);
      for (let h = 0; h < 20; h++) {
        const email = `famille${h}@test.fr`;
        const id = await agents.create(auth, { address_line1: '1 rue de la Paix', address_line2: null, postcode: '62160', city: 'Beauval' }, { first_name: 'Alex', last_name: `Famille${h}`, email, phone: '0600000000', relationship: 'Mère' });
        for (const first of FIRST_NAMES) await agents.addChild(auth, id, { first_name: first, last_name: `Famille${h}`, birth_date: '2018-05-04', sex: 'F', school: null, class_level: null });
        const { members } = await agents.get(auth, id);
        households.push({ id, email, children: members.filter((m) => m.role === 'child').map((m) => m.id) });
      }
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    /** A draw period of the winter holidays and the 60 children's requests for its Monday and Tuesday. */
    async function periodWithRequests(label: string, mode: 'day' | 'request', days: [string, string]) {
      const start = days[0];
      const end = `${days[0].slice(0, 8)}${String(Number(days[0].slice(8)) + 4).padStart(2, '0')}`;
      const periodId = await cat.insertPeriod(t.ctx.db, { schoolYearId: service.schoolYearId, kind: 'holiday', label, start, end, allocation: 'draw', requestsCloseAt: '2027-01-15T11:00:00.000Z', drawMode: mode });
      const now = t.clock.now().toISOString();
      for (const day of days) {
        const slotId = newId();
        await t.ctx.db.insertInto('slots').values({ id: slotId, unit_id: service.unitId, group_id: service.groupId, day, capacity: 40, taken: 0, waiting_seq: 0, waiting: 0, closed: 0 }).execute();
        for (const h of households) {
          for (const child of h.children) {
            await t.ctx.db
              .insertInto('bookings')
              .values({ id: newId(), child_person_id: child, household_id: h.id, service_id: service.serviceId, unit_id: service.unitId, slot_id: slotId, day, status: 'requested', waiting_rank: null, override: 0, attendance: null, attendance_at: null, attendance_by: null, absence_declared_at: null, created_at: now, updated_at: now })
              .execute();
          }
        }
      }
      return periodId;
    }

    const statusesOf = async (days: string[]) => {
      const rows = await t.ctx.db.selectFrom('bookings').select(['child_person_id', 'day', 'status', 'waiting_rank']).where('day', 'in', days).execute();
      const byChild = new Map<string, string[]>();
      for (const r of rows) byChild.set(r.child_person_id, [...(byChild.get(r.child_person_id) ?? []), r.status].sort());
      return { rows, byChild };
    };

    test('per request: each child gets both consecutive days or none', async () => {
      const periodId = await periodWithRequests('Vacances d\'hiver', 'request', [MONDAY, TUESDAY]);
      t.clock.set('2027-01-15T11:00:00Z');
      const drawn = await catalogueService(t.ctx, bookingsService(t.ctx)).draw(auth, periodId);
      assert.deepEqual(drawn, { ok: true, value: { booked: 80, waiting: 40, households: 20 } });
      const { byChild, rows } = await statusesOf([MONDAY, TUESDAY]);
      assert.equal(byChild.size, 60);
      const shapes = [...byChild.values()].map((s) => s.join(','));
      assert.equal(shapes.filter((s) => s === 'booked,booked').length, 40);
      assert.equal(shapes.filter((s) => s === 'waiting,waiting').length, 20);
      assert.equal(shapes.filter((s) => s === 'booked,waiting').length, 0, 'no child gets only one of the two days');
      // Waiting ranks 1..20 on each day, and the same child holds the same rank both days.
      for (const day of [MONDAY, TUESDAY]) assert.deepEqual(rows.filter((r) => r.day === day && r.status === 'waiting').map((r) => r.waiting_rank).sort((a, b) => a! - b!), Array.from({ length: 20 }, (_, i) => i + 1));
      const rankOf = (child: string, day: string) => rows.find((r) => r.child_person_id === child && r.day === day)!.waiting_rank;
      for (const child of byChild.keys()) assert.equal(rankOf(child, MONDAY), rankOf(child, TUESDAY));
      const slots = await t.ctx.db.selectFrom('slots').select(['day', 'taken', 'waiting', 'waiting_seq']).where('day', 'in', [MONDAY, TUESDAY]).orderBy('day').execute();
      assert.deepEqual(slots.map((s) => [s.day, Number(s.taken), Number(s.waiting), Number(s.waiting_seq)]), [[MONDAY, 40, 20, 20], [TUESDAY, 40, 20, 20]]);
      // Drawing again is refused, with a code.
      assert.deepEqual(await catalogueService(t.ctx, bookingsService(t.ctx)).draw(auth, periodId), { ok: false, code: 'already_drawn' });
    });

    test('each household is told once, on the portal and by e-mail, by child and date with its waiting places', async () => {
      const notices = await t.ctx.db.selectFrom('notices').select(['household_id', 'text']).where('text', 'like', 'Résultat du tirage%').execute();
      assert.equal(notices.length, 20, 'one notice per household');
      assert.equal(new Set(notices.map((n) => n.household_id)).size, 20);
      const outbox = await t.ctx.db.selectFrom('outbox').select(['to_address', 'kind']).where('kind', '=', 'draw-result').execute();
      assert.equal(outbox.length, 20, 'one e-mail per household address, not one per day');
      while ((await t.flushMail()) > 0);
      const { rows } = await statusesOf([MONDAY, TUESDAY]);
      for (const h of households) {
        const mail = await smtp.waitFor(h.email, /Résultat du tirage : Vacances d'hiver/);
        assert.equal(smtp.mails.filter((m) => m.to.includes(h.email) && /tirage/.test(m.subject)).length, 1);
        const notice = notices.find((n) => n.household_id === h.id)!.text;
        for (const [i, child] of h.children.entries()) {
          const own = rows.filter((r) => r.child_person_id === child);
          assert.match(mail.text, new RegExp(FIRST_NAMES[i]));
          assert.match(notice, new RegExp(`${FIRST_NAMES[i]} : `));
          for (const day of [MONDAY, TUESDAY]) {
            const r = own.find((b) => b.day === day)!;
            const dayText = day === MONDAY ? 'lundi 15 février 2027' : 'mardi 16 février 2027';
            const expected = r.status === 'booked' ? `${dayText}, Centre de loisirs – vacances – Journée avec repas : place obtenue` : `${dayText}, Centre de loisirs – vacances – Journée avec repas : liste d'attente, ${r.waiting_rank}${r.waiting_rank === 1 ? 'ʳᵉ' : 'ᵉ'} place`;
            assert.ok(mail.text.includes(expected), `${h.email}: ${expected}\n${mail.text}`);
          }
        }
      }
    });

    test('per day (the town\'s other choice): each day is drawn on its own, so some children get one day of two', async () => {
      const periodId = await periodWithRequests('Vacances de printemps', 'day', ['2027-04-19', '2027-04-20']);
      t.clock.set('2027-01-15T11:00:00Z');
      const drawn = await catalogueService(t.ctx, bookingsService(t.ctx)).draw(auth, periodId);
      assert.deepEqual(drawn, { ok: true, value: { booked: 80, waiting: 40, households: 20 } });
      const shapes = [...(await statusesOf(['2027-04-19', '2027-04-20'])).byChild.values()].map((s) => s.join(','));
      assert.ok(shapes.filter((s) => s === 'booked,waiting').length > 0, 'independent days split some children');
    });

    test('the period form offers the mode and the period page says how the order is found; refusals are codes', async () => {
      const agent = await anAgent(t.ctx, ['enfance']);
      const c = new TestClient(t.app);
      await c.login(agent.email, agent.password);
      const form = await c.get(`${BASE}/annees/${service.schoolYearId}/periodes/nouvelle`);
      assert.match(textOf(form.body), /Par demande : les jours demandés pour un enfant dans une même semaine sont attribués ensemble, tous ou aucun/);
      const created = await c.post(`${BASE}/annees/${service.schoolYearId}/periodes/nouvelle`, { kind: 'holiday', label: 'Début d\'été', start: '2027-06-21', end: '2027-06-25', opens_date: '', opens_time: '', allocation: 'draw', draw_mode: 'request', close_date: '2027-06-01', close_time: '12:00' });
      assert.equal(created.status, 303);
      const row = await t.ctx.db.selectFrom('periods').selectAll().where('label', '=', 'Début d\'été').executeTakeFirstOrThrow();
      assert.equal(row.draw_mode, 'request');
      const page = textOf((await c.get(`${BASE}/periodes/${row.id}`)).body);
      assert.match(page, /Ordre du tirage/);
      assert.match(page, new RegExp(`SHA-256 du code de la période \\(${row.id}\\)`));
      const bad = await c.post(`${BASE}/annees/${service.schoolYearId}/periodes/nouvelle`, { kind: 'holiday', label: 'X', start: '2027-06-21', end: '2027-06-25', allocation: 'draw', draw_mode: 'semaine', close_date: '2027-06-01', close_time: '12:00' });
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /Choisissez comment le tirage attribue les jours/);
      assert.deepEqual(await catalogueService(t.ctx, bookingsService(t.ctx)).draw(auth, row.id), { ok: false, code: 'requests_open' });
      const fcfs = await t.ctx.db.selectFrom('periods').select('id').where('allocation', '=', 'fcfs').executeTakeFirstOrThrow();
      assert.deepEqual(await catalogueService(t.ctx, bookingsService(t.ctx)).draw(auth, fcfs.id), { ok: false, code: 'not_draw' });
      // The catalogue's other refusals are codes too; changing a drawn period's mode is refused.
      const catalogue = catalogueService(t.ctx, bookingsService(t.ctx));
      assert.deepEqual(await catalogue.createYear(auth, { label: '2026-2027', start: '2026-09-01', end: '2027-07-03' }), { ok: false, code: 'year_label_taken' });
      const p = { kind: 'holiday' as const, label: 'Hors année', start: '2027-08-01', end: '2027-08-05', allocation: 'fcfs' as const };
      assert.deepEqual(await catalogue.createPeriod(auth, service.schoolYearId, p), { ok: false, code: 'period_starts_outside_year' });
      assert.deepEqual(await catalogue.createPeriod(auth, service.schoolYearId, { ...p, start: '2027-07-01' }), { ok: false, code: 'period_ends_after_year' });
      const drawnPeriod = await t.ctx.db.selectFrom('periods').selectAll().where('label', '=', 'Vacances d\'hiver').executeTakeFirstOrThrow();
      const same = { kind: drawnPeriod.kind, label: drawnPeriod.label, start: drawnPeriod.start_date, end: drawnPeriod.end_date, allocation: drawnPeriod.allocation, requestsCloseAt: drawnPeriod.requests_close_at };
      assert.deepEqual(await catalogue.updatePeriod(auth, drawnPeriod.id, { ...same, drawMode: 'day' }), { ok: false, code: 'period_drawn' });
      assert.deepEqual(await catalogue.updatePeriod(auth, drawnPeriod.id, { ...same, drawMode: 'request' }), { ok: true, value: null });
    });
  });
}

describe('the draw order', () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, slot_id: `s${i % 2}`, day: i % 2 ? TUESDAY : MONDAY, household_id: 'h', child_person_id: `c${i >> 1}`, unit_id: 'u', school: i % 7 === 0 ? 'École' : null }));
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');

  test('is reproducible from the period\'s seed, whatever order the requests are read in', () => {
    for (const mode of ['day', 'request'] as const) {
      const keys = (input: typeof rows) => drawUnits(input, mode, 'periode-1', hash).map((u) => u.key);
      assert.deepEqual(keys([...rows].reverse()), keys(rows));
      assert.notDeepEqual(drawUnits(rows, mode, 'periode-2', hash).map((u) => u.key), keys(rows), 'another seed, another order');
    }
  });

  test('puts priority children first, and groups a child\'s days of one week per request', () => {
    const units = drawUnits(rows, 'request', 'periode-1', hash);
    assert.equal(units.length, 15);
    assert.ok(units.every((u) => u.items.length === 2 && u.items[0].day === MONDAY && u.items[1].day === TUESDAY));
    const firstOrdinary = units.findIndex((u) => u.priority === 0);
    assert.ok(units.slice(firstOrdinary).every((u) => u.priority === 0));
    assert.equal(units[0].priority, 1);
  });
});
