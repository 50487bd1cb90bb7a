import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from '../../../test/support/app.ts';
import { agentAuth } from '../../../test/support/builders.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { audienceCriteria } from '../../audience.ts';
import { messagingService } from './messaging.service.ts';
import { processMessages } from './messaging.worker.ts';
import { aMessagingTown } from '../../../test/support/messaging.ts';
import type { Audience } from './messaging.domain.ts';

for (const engine of testEngines()) {
  describe(`audiences et envoi des messages (${engine})`, () => {
    let t: TestApp;
    let town: Auth;
    let w: Awaited<ReturnType<typeof aMessagingTown>>;
    let messaging: ReturnType<typeof messagingService>;
    const names = new Map<string, string>();

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      town = await agentAuth(t.ctx, ['enfance']);
      w = await aMessagingTown(t.ctx, town);
      messaging = messagingService(t.ctx, audienceCriteria);
      for (const [k, id] of Object.entries({ A: w.a.householdId, B: w.b.householdId, C: w.cc.householdId, D: w.d.householdId, E: w.eId })) names.set(id, k);
    });
    after(() => t.close());

    const households = async (audience: Audience) => {
      const r = await messaging.preview(town, audience, 1, 100);
      if (!r.ok) throw new Error(r.code);
      assert.equal(r.value.households, r.value.rows.length, 'the count agrees with the list');
      return r.value.rows.map((row) => names.get(row.id) ?? '?').sort().join('');
    };

    test('each criterion gives exactly its households; a child in two households brings both', async () => {
      const cases: [string, Audience, string][] = [
        ['toutes les familles', {}, 'ABCDE'],
        ['établissement Jules-Ferry (Léa est aussi l\'enfant de B)', { etablissement: [w.c.facilityId] }, 'AB'],
        ['établissement Pasteur', { etablissement: [w.pasteur.facilityId] }, 'C'],
        ['groupe Élémentaire', { groupe: [w.c.elementaireId] }, 'AB'],
        ['groupe Maternelle', { groupe: [w.c.maternelleId] }, 'B'],
        ['service cantine Jules-Ferry', { service: [w.c.canteenId] }, 'AB'],
        ['service accueil du matin', { service: [w.c.morningId] }, 'B'],
        ['niveau CE1', { niveau: ['CE1'] }, 'AB'],
        ['âge 5 ans', { age: ['5'] }, 'B'],
        ['âge 6 ans', { age: ['6'] }, 'E'],
        ['année de naissance 2018', { annee_naissance: ['2018'] }, 'AB'],
        ['année de naissance 2017', { annee_naissance: ['2017'] }, 'CD'],
        ['réservé le 3 décembre', { reserve_le: ['2026-12-03'] }, 'D'],
        ['réservé le 4 décembre', { reserve_le: ['2026-12-04'] }, ''],
        ['réservé pendant la période 2', { periode: [(await t.ctx.db.selectFrom('periods').select('id').where('label', '=', 'Période 2').executeTakeFirstOrThrow()).id] }, 'D'],
        ['demande en attente de la famille', { demande: ['attente_famille'] }, 'A'],
        ['compte non activé', { compte: ['non_active'] }, 'E'],
      ];
      for (const [label, audience, expected] of cases) assert.equal(await households(audience), expected, label);
    });

    test('OR within a criterion, AND between criteria', async () => {
      assert.equal(await households({ etablissement: [w.c.facilityId, w.pasteur.facilityId] }), 'ABC');
      assert.equal(await households({ etablissement: [w.c.facilityId], age: ['5'] }), 'B');
      assert.equal(await households({ etablissement: [w.c.facilityId, w.pasteur.facilityId], annee_naissance: ['2017'] }), 'C');
      assert.equal(await households({ annee_naissance: ['2017', '2020'], compte: ['non_active'] }), 'E');
      assert.equal(await households({ service: [w.c.canteenId], demande: ['attente_famille'] }), 'A');
      assert.equal(await households({ etablissement: [w.pasteur.facilityId], reserve_le: ['2026-12-03'] }), '');
    });

    test('a value not offered or a malformed day is refused, never evaluated', async () => {
      const unknown = await messaging.count(town, { etablissement: ['00000000-0000-7000-8000-000000000000'] });
      assert.deepEqual(unknown, { ok: false, code: 'unknown_choice' });
      assert.deepEqual(await messaging.count(town, { reserve_le: ['2026-02-30'] }), { ok: false, code: 'bad_day' });
    });

    test('counts: a guardian in two households is counted and receives once; a child in two households reaches both', async () => {
      const cd = await messaging.count(town, { etablissement: [w.pasteur.facilityId] });
      assert.ok(cd.ok);
      const both = await messaging.count(town, { annee_naissance: ['2017'] });
      assert.ok(both.ok);
      assert.deepEqual([both.value.households, both.value.guardians, both.value.withoutEmail], [2, 2, 0], 'C and D: C\'s guardian once, D\'s guardian');
      const sent = await messaging.send(town, { idempotencyKey: '00000000-0000-7000-8000-00000000c0d0', audience: { annee_naissance: ['2017'] }, subject: 'Sortie', body: 'Bonjour', category: 'information', sendAt: null, attachments: [] });
      assert.ok(sent.ok);
      const rows = await t.ctx.db.selectFrom('message_recipients').select(['person_id', 'household_id']).where('message_id', '=', sent.value.id).execute();
      assert.deepEqual(rows.map((r) => r.person_id).sort(), [w.cc.guardianId, w.d.guardianId].sort());
      const lea = await messaging.send(town, { idempotencyKey: '00000000-0000-7000-8000-0000000001ea', audience: { service: [w.c.canteenId] }, subject: 'Cantine', body: 'Menu', category: 'information', sendAt: null, attachments: [] });
      assert.ok(lea.ok);
      const leaRows = await t.ctx.db.selectFrom('message_recipients').select(['person_id']).where('message_id', '=', lea.value.id).execute();
      assert.deepEqual(leaRows.map((r) => r.person_id).sort(), [w.a.guardianId, w.b.guardianId].sort(), 'both households of Léa get it, each guardian once');
    });

    test('a double submission sends once; an empty audience sends nothing', async () => {
      const input = { idempotencyKey: '00000000-0000-7000-8000-0000000000d1', audience: {}, subject: 'Fermeture', body: 'L\'école ferme.', category: 'urgent' as const, sendAt: null, attachments: [] };
      const [first, second] = await Promise.all([messaging.send(town, input), messaging.send(town, input)]);
      assert.ok(first.ok && second.ok);
      assert.equal(first.value.id, second.value.id);
      assert.equal([first.value, second.value].filter((r) => r.duplicate).length, 1);
      const count = await t.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
      const recipients = await t.ctx.db.selectFrom('message_recipients').select((eb) => eb.fn.countAll<number>().as('n')).where('message_id', '=', first.value.id).executeTakeFirstOrThrow();
      assert.equal(Number(recipients.n), 5, 'five guardians: A, B, C (also of D), D, E');
      const empty = await messaging.send(town, { ...input, idempotencyKey: '00000000-0000-7000-8000-0000000000d2', audience: { reserve_le: ['2026-12-04'] } });
      assert.deepEqual(empty, { ok: false, code: 'empty_audience' });
      assert.equal(await t.ctx.db.selectFrom('messages').select('id').where('idempotency_key', '=', '00000000-0000-7000-8000-0000000000d2').executeTakeFirst(), undefined);
    });

    test('the worker makes each e-mail once, even stopped halfway and replayed; a guardian without e-mail is on the counter list', async () => {
      await processMessages({ db: t.ctx.db, clock: t.clock, publicUrl: 'http://localhost:3000', townName: 'Beauval', secretKey: TEST_SECRET_KEY });
      const sent = await messaging.send(town, { idempotencyKey: '00000000-0000-7000-8000-0000000000e1', audience: {}, subject: 'Réunion', body: 'Réunion mardi.\n\nPlus : https://exemple.fr/reunion.', category: 'information', sendAt: null, attachments: [] });
      assert.ok(sent.ok);
      const id = sent.value.id;
      // Stopped after one batch of two, as if the process were killed there.
      const first = await processMessages({ db: t.ctx.db, clock: t.clock, publicUrl: 'http://localhost:3000', townName: 'Beauval', secretKey: TEST_SECRET_KEY, batch: 2, maxBatches: 1 });
      assert.equal(first, 2);
      let progress = (await messaging.message(town, id)).progress;
      assert.equal(progress.pending, 2, 'four guardians with an address: two left');
      // A batch replayed after a crash (its recipients back to pending): the outbox's key makes nothing twice.
      const queued = await t.ctx.db.selectFrom('message_recipients').select('person_id').where('message_id', '=', id).where('mail_state', '=', 'queued').execute();
      await t.ctx.db.updateTable('message_recipients').set({ mail_state: 'pending' }).where('message_id', '=', id).where('person_id', '=', queued[0].person_id).execute();
      await processMessages({ db: t.ctx.db, clock: t.clock, publicUrl: 'http://localhost:3000', townName: 'Beauval', secretKey: TEST_SECRET_KEY, batch: 2 });
      const mails = await t.ctx.db.selectFrom('outbox').select(['to_address', 'dedupe_key', 'text_body', 'subject']).where('dedupe_key', 'like', `message:${id}:%`).execute();
      assert.equal(mails.length, 4);
      assert.equal(new Set(mails.map((m) => m.to_address)).size, 4);
      assert.match(mails[0].text_body, /Réunion mardi\.\n\nPlus : https:\/\/exemple\.fr\/reunion\./);
      assert.match(mails[0].subject, /^Réunion – Beauval$/);
      progress = (await messaging.message(town, id)).progress;
      assert.deepEqual([progress.pending, progress.queued, progress.withoutEmail], [0, 4, 1]);
      assert.ok((await messaging.message(town, id)).message.mailing_done_at);
      await t.flushMail();
      progress = (await messaging.message(town, id)).progress;
      assert.equal(progress.delivered, 4);
      const counter = await messaging.counterList(town, id);
      assert.deepEqual(counter.rows.map((r) => `${r.first_name} ${r.last_name}`), ['Sam Roux']);
    });

    test('a scheduled message waits for its time', async () => {
      const sent = await messaging.send(town, { idempotencyKey: '00000000-0000-7000-8000-0000000000f1', audience: { compte: ['non_active'] }, subject: 'Plus tard', body: 'Texte', category: 'rappel', sendAt: new Date('2026-11-28T12:00:00Z'), attachments: [] });
      assert.ok(sent.ok);
      assert.deepEqual(await messaging.send(town, { idempotencyKey: '00000000-0000-7000-8000-0000000000f2', audience: {}, subject: 'Passé', body: 'Texte', category: 'rappel', sendAt: new Date('2026-11-27T12:00:00Z'), attachments: [] }), { ok: false, code: 'send_at_past' });
    });
  });
}
