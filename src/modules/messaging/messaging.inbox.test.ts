import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth, anAgent } from '../../../test/support/builders.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { audienceCriteria } from '../../audience.ts';
import { messagingService } from './messaging.service.ts';
import { aMessagingTown } from '../../../test/support/messaging.ts';

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

for (const engine of testEngines()) {
  describe(`messagerie des familles (${engine})`, () => {
    let t: TestApp;
    let town: Auth;
    let w: Awaited<ReturnType<typeof aMessagingTown>>;
    let canteen: string;
    let everyone: string;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      town = await agentAuth(t.ctx, ['enfance']);
      w = await aMessagingTown(t.ctx, town);
      const messaging = messagingService(t.ctx, audienceCriteria);
      const a = await messaging.send(town, { idempotencyKey: '00000000-0000-7000-8000-00000000a001', audience: { service: [w.c.canteenId] }, subject: 'Menu de la cantine', body: 'Le menu est joint.', category: 'information', sendAt: null, attachments: [{ filename: 'menu.pdf', bytes: PDF }] });
      t.clock.advance(60_000);
      const b = await messaging.send(town, { idempotencyKey: '00000000-0000-7000-8000-00000000a002', audience: {}, subject: 'Grève jeudi', body: 'Pas de cantine jeudi.', category: 'urgent', sendAt: null, attachments: [] });
      await messaging.send(town, { idempotencyKey: '00000000-0000-7000-8000-00000000a003', audience: {}, subject: 'Plus tard', body: 'Demain.', category: 'rappel', sendAt: new Date('2026-11-29T08:00:00Z'), attachments: [] });
      assert.ok(a.ok && b.ok);
      canteen = a.value.id;
      everyone = b.value.id;
    });
    after(() => t.close());

    const family = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };

    test('the home page shows the unread count; the inbox lists newest first, unread marked, not the scheduled one', async () => {
      const parent = await family(w.a);
      assert.match(textOf((await parent.get('/famille')).body), /Messages : 2 non lus/);
      const inbox = textOf((await parent.get('/messages')).body);
      assert.match(inbox, /Non lu Urgent Grève jeudi.*Non lu Information Menu de la cantine/s);
      assert.doesNotMatch(inbox, /Plus tard/);
    });

    test('opening a message stores the read receipt; the agent sees it read; attachments download', async () => {
      const parent = await family(w.a);
      const page = await parent.get(`/messages/${canteen}`);
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Le menu est joint\./);
      assert.match(textOf((await parent.get('/famille')).body), /Messages : 1 non lu/);
      const link = /href="(\/messages\/[^"]+\/pieces\/[^"]+)"/.exec(page.body)?.[1];
      assert.ok(link);
      const file = await parent.get(link);
      assert.equal(file.status, 200);
      assert.equal(file.headers['x-content-type-options'], 'nosniff');
      assert.match(String(file.headers['content-disposition']), /^attachment;/);

      const agent = await anAgent(t.ctx, ['enfance']);
      const office = await family(agent);
      assert.match(textOf((await office.get(`/agent/messages/${canteen}`)).body), /Lu sur le portail 1 responsable/);

      // Another household (C did not receive the canteen message): 404 for the message and its file.
      const other = await family(w.cc);
      assert.equal((await other.get(`/messages/${canteen}`)).status, 404);
      assert.equal((await other.get(link)).status, 404);
      assert.equal((await other.get(`/messages/${everyone}`)).status, 200);
    });
  });
}
