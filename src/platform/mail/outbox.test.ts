import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { startTestSmtp, type TestSmtp } from '../../../test/support/smtp.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { anAgent } from '../../../test/support/builders.ts';
import { HOUR, MINUTE } from '../clock/clock.ts';
import { insertMail } from './outbox.repository.ts';
import { backoffMs, MAX_ATTEMPTS } from './outbox.ts';

test('the retry delay doubles from one minute and stops growing at six hours', () => {
  const table: [attempts: number, delay: number][] = [
    [1, 1 * MINUTE],
    [2, 2 * MINUTE],
    [3, 4 * MINUTE],
    [5, 16 * MINUTE],
    [9, 256 * MINUTE],
    [10, 6 * HOUR],
    [30, 6 * HOUR],
  ];
  for (const [attempts, delay] of table) assert.equal(backoffMs(attempts), delay, `essai ${attempts}`);
});

for (const engine of testEngines()) {
  describe(`file d'envoi des courriels (${engine})`, () => {
    let t: TestApp;
    let smtp: TestSmtp;
    let admin: { id: string; email: string; password: string };
    let counter = 0;

    before(async () => {
      smtp = await startTestSmtp();
      t = await createTestApp(engine, { smtpUrl: smtp.url });
      admin = await anAgent(t.ctx, ['admin']);
      await t.flushMail(); // the admin's own invitation, out of the way
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    /** Queues a message to a fresh address, as a service would (in its own write). */
    async function queue(subject: string, options: { dedupeKey?: string; to?: string } = {}) {
      const to = options.to ?? `destinataire${++counter}@exemple.fr`;
      const id = await insertMail(t.ctx.db, t.clock.now(), { kind: 'test', to, subject, text: `Bonjour,\n\n${subject} : contenu du message.`, dedupeKey: options.dedupeKey });
      return { id, to };
    }
    const row = (id: string) => t.ctx.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const deliveredTo = (to: string) => smtp.mails.filter((m) => m.to.includes(to));

    test('a message the SMTP server refuses stays pending, and is retried only once the delay has passed', async () => {
      const { id, to } = await queue('Facture de novembre');
      smtp.failNext(1);
      const sentAt = t.clock.now();
      assert.equal(await t.flushMail(), 1);
      let r = await row(id);
      assert.equal(r.status, 'pending');
      assert.equal(r.attempts, 1);
      assert.match(r.last_error ?? '', /451/);
      assert.equal(r.sent_at, null);
      assert.equal(Date.parse(r.next_attempt_at), sentAt.getTime() + backoffMs(1));
      assert.equal(deliveredTo(to).length, 0);

      // Not before its time, however often the worker runs.
      t.clock.advance(backoffMs(1) - 1000);
      assert.equal(await t.flushMail(), 0);
      assert.equal(await t.flushMail(), 0);
      assert.equal((await row(id)).attempts, 1);
      assert.equal(deliveredTo(to).length, 0);

      t.clock.advance(2000);
      assert.equal(await t.flushMail(), 1);
      r = await row(id);
      assert.equal(r.status, 'sent');
      assert.equal(r.attempts, 2);
      assert.equal(r.last_error, null);
      assert.equal(r.sent_at, t.clock.now().toISOString());
      const [mail, ...others] = deliveredTo(to);
      assert.equal(others.length, 0);
      assert.equal(mail.subject, 'Facture de novembre');
      assert.match(mail.text, /Facture de novembre : contenu du message/);
    });

    test(`after ${MAX_ATTEMPTS} failures the message is marked failed but kept; an admin sends it again`, async () => {
      const { id, to } = await queue('Attestation de paiement');
      smtp.failNext(MAX_ATTEMPTS);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const before = t.clock.now();
        assert.equal(await t.flushMail(), 1, `essai ${attempt}`);
        const r = await row(id);
        assert.equal(r.attempts, attempt);
        if (attempt < MAX_ATTEMPTS) {
          assert.equal(r.status, 'pending');
          assert.equal(Date.parse(r.next_attempt_at), before.getTime() + backoffMs(attempt));
          t.clock.advance(backoffMs(attempt));
        }
      }
      const failed = await row(id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.attempts, MAX_ATTEMPTS);
      assert.match(failed.last_error ?? '', /451/);
      assert.equal(deliveredTo(to).length, 0);
      // A failed message is never picked up again on its own.
      t.clock.advance(24 * HOUR);
      assert.equal(await t.flushMail(), 0);
      assert.equal((await row(id)).status, 'failed');

      const a = new TestClient(t.app);
      await a.login(admin.email, admin.password);
      assert.match(textOf((await a.get('/agent')).body), /1 courriel en échec d'envoi/);
      const page = await a.get(`/agent/courriels/${id}`);
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      assert.match(text, /Échec, à renvoyer/);
      assert.match(text, new RegExp(`Essais d'envoi ${MAX_ATTEMPTS}`));
      assert.match(text, /Dernière erreur .*451/);
      assert.match(text, /Renvoyer ce courriel/);

      const resent = await a.post(`/agent/courriels/${id}/renvoyer`);
      assert.equal(resent.status, 303);
      assert.equal(resent.location, `/agent/courriels/${id}`);
      assert.equal((await row(id)).status, 'pending');
      assert.match(textOf((await a.get(resent.location)).body), /remis en file d'envoi/);
      const audit = await t.ctx.db.selectFrom('audit_log').select(['actor_id', 'action']).where('target_id', '=', id).where('action', '=', 'mail.requeued').execute();
      assert.deepEqual(audit, [{ actor_id: admin.id, action: 'mail.requeued' }]);

      assert.equal(await t.flushMail(), 1);
      const r = await row(id);
      assert.equal(r.status, 'sent');
      assert.equal(deliveredTo(to).length, 1);
      assert.equal((await smtp.waitFor(to, /Attestation de paiement/)).subject, 'Attestation de paiement');
      assert.match(textOf((await a.get(`/agent/courriels/${id}`)).body), /Envoyé/);
    });

    test('a message queued twice with the same dedupe key is stored and sent once', async () => {
      const key = `facture-emise:${++counter}`;
      const to = `doublon${counter}@exemple.fr`;
      await queue('Votre facture est disponible', { dedupeKey: key, to });
      await queue('Votre facture est disponible', { dedupeKey: key, to });
      // Even when both writes race.
      await Promise.all([queue('Votre facture est disponible', { dedupeKey: key, to }), queue('Votre facture est disponible', { dedupeKey: key, to })]);
      const rows = await t.ctx.db.selectFrom('outbox').select(['id']).where('dedupe_key', '=', key).execute();
      assert.equal(rows.length, 1);
      await t.flushMail();
      assert.equal(deliveredTo(to).length, 1);
      // Without a key, two identical messages are two messages.
      await queue('Rappel', { to: `sans-cle${counter}@exemple.fr` });
      await queue('Rappel', { to: `sans-cle${counter}@exemple.fr` });
      await t.flushMail();
      assert.equal(deliveredTo(`sans-cle${counter}@exemple.fr`).length, 2);
    });

    test('two workers running at the same time never send a message twice', async () => {
      const queued = [];
      for (let i = 0; i < 12; i++) queued.push(await queue(`Message ${i}`));
      const handled = await Promise.all([t.flushMail(), t.flushMail(), t.flushMail()]);
      assert.equal(handled.reduce((a, b) => a + b, 0), queued.length);
      const rows = await Promise.all(queued.map((q) => row(q.id)));
      for (const r of rows) {
        assert.equal(r.status, 'sent');
        assert.equal(r.attempts, 1);
      }
      for (const q of queued) assert.equal(deliveredTo(q.to).length, 1, q.to);
      // Nothing is left for a later pass either.
      t.clock.advance(HOUR);
      assert.deepEqual(await Promise.all([t.flushMail(), t.flushMail()]), [0, 0]);
      for (const q of queued) assert.equal(deliveredTo(q.to).length, 1, q.to);
    });

    test('« Courriels envoyés » lists the messages and shows one in full to an admin', async () => {
      const { id, to } = await queue('Inscription au centre de loisirs confirmée');
      const a = new TestClient(t.app);
      await a.login(admin.email, admin.password);
      const pending = await a.get(`/agent/courriels/${id}`);
      assert.match(textOf(pending.body), /En attente d'envoi/);
      assert.doesNotMatch(textOf(pending.body), /Renvoyer ce courriel/);
      await t.flushMail();

      const list = await a.get('/agent/courriels');
      assert.equal(list.status, 200);
      assert.ok(list.body.includes(`href="/agent/courriels/${id}"`));
      const line = textOf(list.body);
      assert.match(line, new RegExp(`${to} Inscription au centre de loisirs confirmée Envoyé 1`));

      const page = await a.get(`/agent/courriels/${id}`);
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      assert.match(text, new RegExp(`Destinataire ${to}`));
      assert.match(text, /Inscription au centre de loisirs confirmée : contenu du message/);
      assert.match(text, /Envoyé/);
    });
  });
}
