import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aMessagingTown } from '../../../test/support/messaging.ts';
import { anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { aDocument } from '../../../test/support/notifications.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { newId } from '../../platform/ids.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { requestsService } from '../requests/requests.service.ts';
import * as cat from '../catalogue/catalogue.repository.ts';
import { runAutomaticNotifications } from '../../notifications.ts';
import { messagingNotificationsService, notify, type NotificationFact } from './messaging.notifications-service.ts';
import { NOTIFICATION_KINDS, NOTIFICATIONS, type NotificationKind } from './messaging.notifications.domain.ts';

for (const engine of testEngines()) {
  describe(`notifications automatiques (${engine})`, () => {
    let t: TestApp;
    let admin: Auth;
    let w: Awaited<ReturnType<typeof aMessagingTown>>;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      admin = await agentAuth(t.ctx, ['admin']);
      w = await aMessagingTown(t.ctx, await agentAuth(t.ctx, ['enfance']));
    });
    after(() => t.close());

    const tell = (kind: NotificationKind, facts: NotificationFact[]) => t.ctx.db.transaction().execute((tx) => notify(tx, t.ctx, t.clock.now(), kind, facts));
    const factFor = (kind: NotificationKind, householdId: string, fact: string): NotificationFact => ({ householdId, fact, values: NOTIFICATIONS[kind].example });
    const messagesOf = (kind: string) => t.ctx.db.selectFrom('messages').select(['id', 'subject', 'body', 'idempotency_key']).where('kind', '=', kind).orderBy('idempotency_key').execute();
    const mailsTo = async (email: string, kind: NotificationKind) => {
      await t.flushMail();
      return (await t.ctx.db.selectFrom('outbox').select(['subject', 'text_body', 'dedupe_key']).where('to_address', '=', email).where('kind', '=', NOTIFICATIONS[kind].mailKind).execute()).filter((m) => m.dedupe_key?.startsWith('message:'));
    };

    for (const kind of NOTIFICATION_KINDS) {
      test(`${kind}: once per fact and household (retries, two at once); the town's switch and text; ${NOTIFICATIONS[kind].essential ? 'essential: sent whatever the preference' : 'the guardian\'s preference, a link that targets the kind'}`, async () => {
        const def = NOTIFICATIONS[kind];
        // Told twice at once and once again: one message, one e-mail per guardian.
        const told = await Promise.all([tell(kind, [factFor(kind, w.a.householdId, 'f1')]), tell(kind, [factFor(kind, w.a.householdId, 'f1')])]);
        assert.equal(told[0] + told[1], 1);
        assert.equal(await tell(kind, [factFor(kind, w.a.householdId, 'f1'), factFor(kind, w.a.householdId, 'f1')]), 0);
        const messages = await messagesOf(kind);
        assert.equal(messages.length, 1);
        assert.equal(messages[0].subject, def.subject.replace(/\{\{(\w+)\}\}/g, (_m, n: string) => def.example[n]));
        let mails = await mailsTo(w.a.email, kind);
        assert.equal(mails.length, 1);
        const sent = t.delivered.filter((m) => m.to === w.a.email && m.subject === mails[0].subject);
        assert.equal(sent.length, 1);
        assert.match(sent[0].subject, / – /, 'the town\'s name ends the subject');
        const recipient = await t.ctx.db.selectFrom('message_recipients').select(['mail_state', 'person_id']).where('message_id', '=', messages[0].id).execute();
        assert.deepEqual(recipient.map((r) => [r.person_id, r.mail_state]), [[w.a.guardianId, 'queued']], 'in the guardian\'s inbox too');
        if (def.essential) {
          assert.doesNotMatch(sent[0].text, /desinscription/);
        } else {
          const link = /\/desinscription\?(\S+)/.exec(sent[0].text)?.[1];
          assert.ok(link);
          assert.equal(new URLSearchParams(link).get('t'), kind, 'the unsubscribe link targets the kind');
          assert.doesNotMatch(mails[0].text_body, /desinscription\?/, 'the link is never stored readable');
        }

        // The guardian switches the kind's topic off (as the page or the link would): honoured, unless essential.
        await t.ctx.db.insertInto('mail_preferences').values({ person_id: w.a.guardianId, category: def.topic, updated_at: t.clock.now().toISOString() }).execute();
        assert.equal(await tell(kind, [factFor(kind, w.a.householdId, 'f2')]), 1);
        mails = await mailsTo(w.a.email, kind);
        assert.equal(mails.length, def.essential ? 2 : 1);
        const second = (await messagesOf(kind)).find((m) => m.idempotency_key.includes(':f2:'))!;
        assert.equal((await t.ctx.db.selectFrom('message_recipients').select('mail_state').where('message_id', '=', second.id).executeTakeFirstOrThrow()).mail_state, def.essential ? 'queued' : 'opted_out');
        await t.ctx.db.deleteFrom('mail_preferences').where('person_id', '=', w.a.guardianId).execute();

        // The town switches it off: nothing at all (no message, no e-mail); back on with its own text.
        const service = messagingNotificationsService(t.ctx);
        assert.deepEqual(await service.save(admin, kind, { enabled: false, subject: def.subject, body: def.body }), { ok: true });
        assert.equal(await tell(kind, [factFor(kind, w.a.householdId, 'f3')]), 0);
        assert.equal((await messagesOf(kind)).length, 2);
        const first = Object.keys(def.placeholders)[0];
        assert.deepEqual(await service.save(admin, kind, { enabled: true, subject: `Notre objet {{${first}}}`, body: `Notre texte pour {{${first}}}.` }), { ok: true });
        assert.equal(await tell(kind, [factFor(kind, w.a.householdId, 'f4')]), 1);
        mails = await mailsTo(w.a.email, kind);
        assert.ok(mails.some((m) => m.subject.startsWith(`Notre objet ${def.example[first]}`) && m.text_body.includes(`Notre texte pour ${def.example[first]}.`)));
        await service.reset(admin, kind);
        assert.equal((await service.one(admin, kind)).subject, def.subject);
      });
    }

    test('a guardian of two households gets each household\'s fact; a guardian without address finds it in the inbox only', async () => {
      // C's guardian is also D's: an invoice for C and one for D are two facts.
      await tell('invoice_issued', [factFor('invoice_issued', w.cc.householdId, 'inv-c'), factFor('invoice_issued', w.d.householdId, 'inv-d'), factFor('invoice_issued', w.eId, 'inv-e')]);
      const rows = await t.ctx.db
        .selectFrom('message_recipients as r')
        .innerJoin('messages as m', 'm.id', 'r.message_id')
        .select(['m.idempotency_key', 'r.person_id', 'r.mail_state'])
        .where('m.kind', '=', 'invoice_issued')
        .where('m.idempotency_key', 'like', '%:inv-%')
        .execute();
      assert.equal(rows.filter((r) => r.person_id === w.cc.guardianId).length, 2);
      assert.deepEqual(rows.filter((r) => r.idempotency_key.includes(':inv-e:')).map((r) => r.mail_state), ['none']);
    });

    test('the request module\'s steps go through it: switched off by the town, the family gets the notice but no e-mail', async () => {
      const requests = requestsService(t.ctx);
      const actor = actorOf(await agentAuth(t.ctx, ['enfance']));
      const [first, second] = await t.ctx.db.selectFrom('requests').select('id').where('household_id', 'in', [w.a.householdId, w.b.householdId]).where('status', '=', 'in_review').orderBy('household_id').execute();
      const before = (await mailsTo(w.a.email, 'request_status')).length + (await mailsTo(w.b.email, 'request_status')).length;
      await t.ctx.db.transaction().execute((tx) => requests.transition(tx, first.id, 'accepted', actor, null, t.clock.now()));
      const afterOn = (await mailsTo(w.a.email, 'request_status')).length + (await mailsTo(w.b.email, 'request_status')).length;
      assert.equal(afterOn, before + 1, 'on: one e-mail');
      await messagingNotificationsService(t.ctx).save(admin, 'request_status', { enabled: false, subject: NOTIFICATIONS.request_status.subject, body: NOTIFICATIONS.request_status.body });
      await t.ctx.db.transaction().execute((tx) => requests.transition(tx, second.id, 'accepted', actor, null, t.clock.now()));
      assert.equal((await mailsTo(w.a.email, 'request_status')).length + (await mailsTo(w.b.email, 'request_status')).length, afterOn, 'off: none');
      const notices = await t.ctx.db.selectFrom('notices').select('text').where('household_id', 'in', [w.a.householdId, w.b.householdId]).execute();
      assert.equal(notices.filter((n) => /est maintenant « Acceptée »/.test(n.text)).length, 2, 'the portal notice stays');
      await messagingNotificationsService(t.ctx).save(admin, 'request_status', { enabled: true, subject: NOTIFICATIONS.request_status.subject, body: NOTIFICATIONS.request_status.body });
    });

    test('the worker: holiday booking reminder to exactly the families who usually book and have not yet; expiring documents; once under two workers', async () => {
      const { c } = w;
      const now = t.clock.now();
      const holiday = await t.ctx.db.transaction().execute(async (tx) => {
        const serviceId = await cat.insertService(tx, { facilityId: c.facilityId, kind: 'holiday', name: 'Accueil de loisirs', weekdays: [1, 2, 3, 4, 5], bookingRule: { kind: 'days_before', days: 2, working: true, time: '12:00' }, cancellationRule: { kind: 'days_before', days: 2, working: true, time: '12:00' } }, now);
        const unitId = await cat.insertUnit(tx, { serviceId, label: 'Journée', isMeal: true });
        await cat.insertPeriod(tx, { schoolYearId: c.year26, kind: 'holiday', label: 'Vacances de la Toussaint', start: '2026-10-17', end: '2026-11-01' });
        await cat.insertPeriod(tx, { schoolYearId: c.year26, kind: 'holiday', label: 'Vacances de Noël', start: '2026-12-19', end: '2027-01-03' });
        return { serviceId, unitId };
      });
      const at = now.toISOString();
      const book = async (householdId: string, childId: string, day: string, status: 'booked' | 'waiting') => {
        const slotId = newId();
        await t.ctx.db.insertInto('slots').values({ id: slotId, unit_id: holiday.unitId, group_id: c.elementaireId, day, capacity: null, taken: 1, waiting: 0, closed: 0, waiting_seq: 0 }).execute();
        await t.ctx.db.insertInto('bookings').values({ id: newId(), child_person_id: childId, household_id: householdId, service_id: holiday.serviceId, unit_id: holiday.unitId, slot_id: slotId, day, status, waiting_rank: status === 'waiting' ? 1 : null, override: 0, attendance: null, attendance_at: null, attendance_by: null, absence_declared_at: null, created_at: at, updated_at: at }).execute();
      };
      const enrol = (householdId: string, childId: string) => anAcceptedEnrolment(t.ctx, householdId, childId, { serviceId: holiday.serviceId, schoolYearId: c.year26, groupId: c.elementaireId });
      // A: enrolled, booked at Toussaint, nothing at Christmas → reminded. B: enrolled, booked at Toussaint, waiting at Christmas → not.
      // C: enrolled, never booked → not. D: booked at Toussaint without enrolment → not. (Léa, A's child, is also B's.)
      await enrol(w.a.householdId, w.a.childId);
      await enrol(w.b.householdId, w.b.childId);
      await enrol(w.cc.householdId, w.cc.childId);
      await book(w.a.householdId, w.a.childId, '2026-10-20', 'booked');
      await book(w.b.householdId, w.b.childId, '2026-10-21', 'booked');
      await book(w.b.householdId, w.b.childId, '2026-12-22', 'waiting');
      await book(w.d.householdId, w.d.childId, '2026-10-22', 'booked');
      // Documents: A's insurance ends 4 January; D's medical certificate (Tom) ends 10 January; C's ends 31 December but a new one waits
      // for an agent; B's ends in July; E's ended before today.
      await aDocument(t.ctx, { householdId: w.a.householdId, typeCode: 'assurance', status: 'validated', validUntil: '2027-01-04' });
      await aDocument(t.ctx, { householdId: w.d.householdId, typeCode: 'certificat', status: 'validated', validUntil: '2027-01-10', personId: w.d.childId });
      await aDocument(t.ctx, { householdId: w.cc.householdId, typeCode: 'assurance', status: 'validated', validUntil: '2026-12-31' });
      await aDocument(t.ctx, { householdId: w.cc.householdId, typeCode: 'assurance', status: 'pending', validUntil: '2027-07-04' });
      await aDocument(t.ctx, { householdId: w.b.householdId, typeCode: 'assurance', status: 'validated', validUntil: '2027-07-04' });
      await aDocument(t.ctx, { householdId: w.eId, typeCode: 'assurance', status: 'validated', validUntil: '2026-11-30' });
      // C's guardian (also D's) does not want document reminders by e-mail.
      await t.ctx.db.insertInto('mail_preferences').values({ person_id: w.cc.guardianId, category: 'document_expiring', updated_at: at }).execute();

      const household = (id: string) => ({ [w.a.householdId]: 'A', [w.b.householdId]: 'B', [w.cc.householdId]: 'C', [w.d.householdId]: 'D', [w.eId]: 'E' })[id] ?? '?';
      const told = async (kind: NotificationKind) =>
        (await t.ctx.db.selectFrom('messages').select('idempotency_key').where('kind', '=', kind).where('idempotency_key', 'not like', '%:f_:%').execute())
          .map((m) => household(m.idempotency_key.split(':').pop()!))
          .sort()
          .join('');

      // Tuesday 1 December: Christmas bookings close Thursday 17 at 12 h (the first day, Monday 21, J-2 working days): too early;
      // no document ends within 30 days but C's, already replaced.
      t.clock.set('2026-12-01T08:00:00Z');
      assert.deepEqual(await runAutomaticNotifications(t.ctx), { deadlineReminders: 0, expiringDocuments: 0 });
      // Wednesday 16 December: two workers at once, then a restart.
      t.clock.set('2026-12-16T08:00:00Z');
      const runs = await Promise.all([runAutomaticNotifications(t.ctx), runAutomaticNotifications(t.ctx)]);
      assert.equal(runs[0].deadlineReminders + runs[1].deadlineReminders, 1);
      assert.equal(runs[0].expiringDocuments + runs[1].expiringDocuments, 2);
      assert.deepEqual(await runAutomaticNotifications(t.ctx), { deadlineReminders: 0, expiringDocuments: 0 });
      assert.equal(await told('deadline_reminder'), 'A');
      assert.equal(await told('document_expiring'), 'AD');

      await t.flushMail();
      const reminder = t.delivered.filter((m) => m.to === w.a.email && m.subject.startsWith('Réservations Vacances de Noël'));
      assert.equal(reminder.length, 1);
      assert.match(reminder[0].subject, /dernier jour le jeudi 17 décembre, 12 h/);
      assert.match(reminder[0].text, /Les réservations de « Accueil de loisirs » pour Vacances de Noël se terminent le jeudi 17 décembre, 12 h\./);
      const certificate = await t.ctx.db
        .selectFrom('messages as m')
        .innerJoin('message_recipients as r', 'r.message_id', 'm.id')
        .select(['m.body', 'r.person_id', 'r.mail_state'])
        .where('m.kind', '=', 'document_expiring')
        .where('r.household_id', '=', w.d.householdId)
        .orderBy('r.person_id')
        .execute();
      assert.match(certificate[0].body, /« Certificat médical » \(Tom\) n'est plus valable après le dimanche 10 janvier 2027/);
      assert.deepEqual(Object.fromEntries(certificate.map((r) => [r.person_id, r.mail_state])), { [w.d.guardianId]: 'queued', [w.cc.guardianId]: 'opted_out' });

      // The parent reads it in the portal's inbox.
      const parent = new TestClient(t.app);
      await parent.login(w.a.email, w.a.password);
      assert.match(textOf((await parent.get('/messages')).body), /Réservations Vacances de Noël : dernier jour le jeudi 17 décembre, 12 h/);
    });

    test('the admin page: switch, text with a preview, placeholders checked, no secret; admins only; malformed input is a 400', async () => {
      const who = await anAgent(t.ctx, ['admin']);
      const town = new TestClient(t.app);
      await town.login(who.email, who.password);
      const list = await town.get('/agent/notifications');
      assert.equal(list.status, 200);
      for (const kind of NOTIFICATION_KINDS) assert.match(textOf(list.body), new RegExp(NOTIFICATIONS[kind].label.replace(/[()]/g, '.')));
      const page = await town.get('/agent/notifications/waiting_list_place');
      assert.match(textOf(page.body), /\{\{enfant\}\}\s*le prénom de l'enfant/);
      assert.match(textOf(page.body), /Objet : Une place s'est libérée – /);

      const preview = await town.post('/agent/notifications/waiting_list_place', { envoi: 'oui', objet: 'Bonne nouvelle pour {{enfant}}', texte: '{{enfant}} a sa place le {{jour}}.', action: 'apercu' });
      assert.equal(preview.status, 200);
      assert.match(textOf(preview.body), /Objet : Bonne nouvelle pour Léa/);
      assert.match(textOf(preview.body), /Léa a sa place le jeudi 3 décembre 2026\./);
      assert.equal((await messagingNotificationsService(t.ctx).one(admin, 'waiting_list_place')).subject, NOTIFICATIONS.waiting_list_place.subject, 'a preview saves nothing');

      const wrong = await town.post('/agent/notifications/waiting_list_place', { envoi: 'oui', objet: 'Place pour {{enfant}}', texte: 'Montant : {{montant}}. Lien : {{secret}}', action: 'enregistrer' });
      assert.equal(wrong.status, 400);
      assert.match(textOf(wrong.body), /Un code ou un lien secret ne peut pas être mis dans un texte/);
      const unknown = await town.post('/agent/notifications/waiting_list_place', { envoi: 'oui', objet: 'Place pour {{prenom}}', texte: 'x', action: 'enregistrer' });
      assert.equal(unknown.status, 400);
      assert.match(textOf(unknown.body), /Ces champs n'existent pas pour cette notification : \{\{prenom\}\}\./);

      const saved = await town.post('/agent/notifications/waiting_list_place', { envoi: 'non', objet: 'Bonne nouvelle pour {{enfant}}', texte: '{{enfant}} a sa place le {{jour}}.', action: 'enregistrer' });
      assert.equal(saved.status, 303);
      const setting = await t.ctx.db.selectFrom('notification_settings').selectAll().where('kind', '=', 'waiting_list_place').executeTakeFirstOrThrow();
      assert.deepEqual([setting.enabled, setting.subject, setting.body], [0, 'Bonne nouvelle pour {{enfant}}', '{{enfant}} a sa place le {{jour}}.']);
      assert.ok(await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'notification.settings').where('target_id', '=', 'waiting_list_place').executeTakeFirst());
      assert.equal((await town.post('/agent/notifications/waiting_list_place/defaut', {})).status, 303);
      assert.equal((await town.post('/agent/notifications/waiting_list_place', { envoi: 'oui', objet: NOTIFICATIONS.waiting_list_place.subject, texte: NOTIFICATIONS.waiting_list_place.body })).status, 303);

      for (const [url, body] of [
        ['/agent/notifications/waiting_list_place', { envoi: 'peut-etre', objet: 'x', texte: 'y' }],
        ['/agent/notifications/waiting_list_place', { envoi: 'oui', objet: 'x'.repeat(5000), texte: 'y' }],
        ['/agent/notifications/waiting_list_place', { envoi: 'oui', objet: 'x', texte: 'y', action: 'effacer' }],
      ] as const) {
        const r = body ? await town.post(url, body) : await town.get(url);
        assert.equal(r.status, 400, url);
      }

      assert.equal((await town.get('/agent/notifications/inconnue')).status, 404);

      const enfance = await anAgent(t.ctx, ['enfance']);
      const other = new TestClient(t.app);
      await other.login(enfance.email, enfance.password);
      assert.equal((await other.get('/agent/notifications')).status, 403);
      assert.equal((await other.post('/agent/notifications/waiting_list_place', { envoi: 'non', objet: 'x', texte: 'y' })).status, 403);
    });
  });
}
