import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth } from '../../../test/support/builders.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { audienceCriteria } from '../../audience.ts';
import { messagingService } from './messaging.service.ts';
import { processMessages } from './messaging.worker.ts';
import { aMessagingTown } from '../../../test/support/messaging.ts';
import type { Category } from './messaging.domain.ts';

let key = 0;

for (const engine of testEngines()) {
  describe(`préférences et désinscription (${engine})`, () => {
    let t: TestApp;
    let town: Auth;
    let w: Awaited<ReturnType<typeof aMessagingTown>>;
    let messaging: ReturnType<typeof messagingService>;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      town = await agentAuth(t.ctx, ['enfance']);
      w = await aMessagingTown(t.ctx, town);
      messaging = messagingService(t.ctx, audienceCriteria);
    });
    after(() => t.close());

    const work = () => processMessages({ db: t.ctx.db, clock: t.clock, publicUrl: 'http://localhost:3000', townName: 'Beauval', secretKey: TEST_SECRET_KEY });
    /** Sends to family A only (the request waiting for it) and returns what A's mailbox got. */
    const sendToA = async (category: Category, subject: string, mail = true) => {
      const r = await messaging.send(town, { idempotencyKey: `00000000-0000-7000-8000-${String(++key).padStart(12, '0')}`, audience: { demande: ['attente_famille'] }, subject, body: 'Texte', category, sendAt: null, attachments: [] });
      assert.ok(r.ok);
      if (mail) {
        await work();
        await t.flushMail();
      }
      return { id: r.value.id, mails: t.delivered.filter((m) => m.to === w.a.email && m.subject.startsWith(`${category === 'urgent' ? 'Urgent : ' : ''}${subject}`)) };
    };

    test('a non-essential e-mail carries a signed unsubscribe link that works without logging in, at once; urgent ones have none', async () => {
      const info = await sendToA('information', 'Sortie au musée');
      assert.equal(info.mails.length, 1);
      const link = /http:\/\/localhost:3000(\/desinscription\?[^\s]+)/.exec(info.mails[0].text)?.[1];
      assert.ok(link, 'the e-mail has the link');
      const stored = await t.ctx.db.selectFrom('outbox').select('text_body').where('dedupe_key', '=', `message:${info.id}:${w.a.guardianId}`).executeTakeFirstOrThrow();
      assert.doesNotMatch(stored.text_body, /desinscription\?/, 'the link is never stored readable');
      const urgent = await sendToA('urgent', 'Grève');
      assert.equal(urgent.mails.length, 1);
      assert.doesNotMatch(urgent.mails[0].text, /desinscription/);

      // Queued before the click, mailed after: the choice is honoured at once.
      const waiting = await sendToA('information', 'Fête de l\'école', false);
      const visitor = new TestClient(t.app);
      const confirm = await visitor.get(link);
      assert.equal(confirm.status, 200);
      assert.match(textOf(confirm.body), /Ne plus recevoir ces courriels \? « Informations de la mairie/);
      const params = Object.fromEntries(new URL(link, 'http://x').searchParams);
      const done = await visitor.post('/desinscription', params);
      assert.equal(done.status, 200);
      assert.match(textOf(done.body), /Vous ne recevrez plus ces courriels/);
      await work();
      await t.flushMail();
      assert.equal(t.delivered.filter((m) => m.subject.startsWith('Fête de l\'école') && m.to === w.a.email).length, 0);
      assert.equal((await messaging.message(town, waiting.id)).progress.optedOut, 1);
      assert.equal((await sendToA('urgent', 'Fermeture')).mails.length, 1, 'urgent messages still leave');
      assert.equal((await sendToA('rappel', 'Dossier')).mails.length, 1, 'another topic still leaves');

      // Forged, for another guardian, for another topic, for an essential topic: refused.
      const forged = [
        { ...params, s: params.s.slice(0, -2) + (params.s.endsWith('AA') ? 'BB' : 'AA') },
        { ...params, r: w.b.guardianId },
        { ...params, t: 'rappel' },
        { ...params, t: 'urgent' },
      ];
      for (const p of forged) {
        assert.equal((await visitor.get(`/desinscription?${new URLSearchParams(p).toString()}`)).status, 400);
        assert.equal((await visitor.post('/desinscription', p)).status, 400);
      }
      assert.deepEqual((await t.ctx.db.selectFrom('mail_preferences').select(['person_id', 'category']).execute()).map((r) => `${r.person_id === w.a.guardianId ? 'A' : '?'}:${r.category}`), ['A:information']);
    });

    test('the preferences page: a guardian switches deadline reminders off; essential e-mails say why they stay', async () => {
      const parent = new TestClient(t.app);
      await parent.login(w.b.email, w.b.password);
      const page = await parent.get('/messages/courriels');
      assert.match(textOf(page.body), /Décisions sur vos demandes : toujours envoyés, car une décision peut vous demander d'agir dans un délai\./);
      const saved = await parent.post('/messages/courriels', { recevoir: ['information', 'rappel', 'waiting_list_place', 'document_expiring'] });
      assert.equal(saved.status, 303);
      const rows = await t.ctx.db.selectFrom('mail_preferences').select('category').where('person_id', '=', w.b.guardianId).execute();
      assert.deepEqual(rows.map((r) => r.category), ['deadline_reminder']);
      assert.doesNotMatch((await parent.get('/messages/courriels')).body, /value="deadline_reminder" checked/);
      await parent.post('/messages/courriels', { recevoir: ['information', 'rappel', 'waiting_list_place', 'document_expiring', 'deadline_reminder', 'urgent'] });
      assert.equal((await t.ctx.db.selectFrom('mail_preferences').select('category').where('person_id', '=', w.b.guardianId).execute()).length, 0);
    });
  });
}
