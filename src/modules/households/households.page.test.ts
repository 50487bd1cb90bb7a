import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin } from 'kysely';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../../../test/support/builders.ts';
import { aService } from '../../../test/support/catalogue.ts';
import { newId } from '../../platform/ids.ts';
import { ensureSlot } from '../bookings/bookings.repository.ts';
import type { Attendance, BookingStatus } from '../../platform/db/schema-services.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { householdsAgentService } from './households.agent-service.ts';
import { enrolmentRequestHandler, enrolmentsService } from '../enrolments/enrolments.service.ts';
import { requestsService } from '../requests/requests.service.ts';
import { requestsHouseholdSection } from '../requests/requests.household-section.tsx';
import { enrolmentsHouseholdSection } from '../enrolments/enrolments.household-section.tsx';
import { attendanceHouseholdSection } from '../attendance/attendance.household-section.tsx';

for (const engine of testEngines()) {
  describe(`la page foyer de l'agent montre tout le foyer (${engine})`, () => {
    let t: TestApp;
    let town: Auth;
    let enfance: Awaited<ReturnType<typeof anAgent>>;
    let durand: Awaited<ReturnType<typeof aFamily>>;
    let hugoId: string;
    let nguyen: Awaited<ReturnType<typeof aFamily>>;
    let canteen: Awaited<ReturnType<typeof aService>>;
    let evening: Awaited<ReturnType<typeof aService>>;
    const references: string[] = [];
    let nguyenReference = '';
    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };
    const book = async (householdId: string, childId: string, s: { serviceId: string; unitId: string; groupId: string }, day: string, status: BookingStatus, attendance: Attendance | null = null) => {
      const at = t.ctx.clock.now().toISOString();
      const slotId = await ensureSlot(t.ctx.db, s.unitId, s.groupId, day);
      await t.ctx.db
        .insertInto('bookings')
        .values({ id: newId(), child_person_id: childId, household_id: householdId, service_id: s.serviceId, unit_id: s.unitId, slot_id: slotId, day, status, waiting_rank: status === 'waiting' ? 1 : null, override: 0, attendance, attendance_at: attendance ? at : null, attendance_by: null, absence_declared_at: null, created_at: at, updated_at: at })
        .execute();
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-12-10T09:00:00Z' });
      town = await agentAuth(t.ctx, ['enfance']);
      enfance = await anAgent(t.ctx, ['enfance']);
      canteen = await aService(t.ctx, { kind: 'canteen' });
      evening = await aService(t.ctx, { kind: 'evening', weekdays: [1, 2, 4, 5] });
      durand = await aFamily(t.ctx, town, 'Durand', { childFirstName: 'Léa' });
      await householdsAgentService(t.ctx).addChild(town, durand.householdId, { first_name: 'Hugo', last_name: 'Durand', birth_date: '2021-10-02', sex: 'M', school: null, class_level: null });
      hugoId = (await t.ctx.db.selectFrom('persons').select('id').where('first_name', '=', 'Hugo').where('last_name', '=', 'Durand').executeTakeFirstOrThrow()).id;
      nguyen = await aFamily(t.ctx, town, 'Nguyen', { childFirstName: 'Minh' });

      // Four enrolment requests filed by the Durand family, as the portal files them; one by the Nguyen family.
      const enrolments = enrolmentsService(t.ctx, requestsService(t.ctx, { enrolment: enrolmentRequestHandler }));
      const parent = await familyActorOf(t.ctx, durand.email);
      for (const child of [durand.childId, hugoId])
        for (const s of [canteen, evening]) {
          const r = await enrolments.submit(parent, { enfant: child, service: s.serviceId, annee: s.schoolYearId });
          assert.ok(r.ok);
          references.push(r.value.reference);
        }
      const other = await enrolments.submit(await familyActorOf(t.ctx, nguyen.email), { enfant: nguyen.childId, service: canteen.serviceId, annee: canteen.schoolYearId });
      assert.ok(other.ok);
      nguyenReference = other.value.reference;
      // Léa's canteen is accepted; her December: two days present, one absent with a certificate, one on the waiting list.
      await t.ctx.db.updateTable('enrolments').set({ status: 'accepted', group_id: canteen.groupId }).where('child_person_id', '=', durand.childId).where('service_id', '=', canteen.serviceId).execute();
      await book(durand.householdId, durand.childId, canteen, '2026-12-01', 'booked', 'present');
      await book(durand.householdId, durand.childId, canteen, '2026-12-03', 'booked', 'present');
      await book(durand.householdId, durand.childId, canteen, '2026-12-04', 'booked', 'absent_justified');
      await book(durand.householdId, durand.childId, canteen, '2026-12-14', 'waiting');
      await book(durand.householdId, durand.childId, canteen, '2026-11-30', 'booked', 'present'); // November: not this month
      await book(nguyen.householdId, nguyen.childId, canteen, '2026-12-01', 'booked', 'absent_unjustified');
    });
    after(() => t.close());

    test('a household with four enrolment requests shows the four (the page said « Aucune demande »), and never another household\'s', async () => {
      const agent = await loggedIn(enfance);
      const page = await agent.get(`/agent/foyers/${durand.householdId}`);
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      assert.match(text, /Demandes 4 demandes Référence Démarche Objet Déposée le État/);
      for (const reference of references) assert.match(text, new RegExp(`${reference} Inscription à un service Inscription de (Léa|Hugo) à Restauration scolaire – École \\S+ \\(2026-2027\\) jeudi 10 décembre 2026 Déposée`));
      assert.doesNotMatch(text, /Aucune demande/);
      assert.doesNotMatch(text, new RegExp(nguyenReference), 'another household\'s request is never shown');
      assert.doesNotMatch(text, /Minh/);
    });

    test('enrolments per child, and this month\'s bookings and attendance per child and service, leading to the days', async () => {
      const agent = await loggedIn(enfance);
      const page = await agent.get(`/agent/foyers/${durand.householdId}`);
      const text = textOf(page.body);
      assert.match(text, /Inscriptions Inscriptions des enfants, année en cours et suivante Enfant Service Année État Demande Léa Restauration scolaire – École \S+ 2026-2027 Acceptée Élémentaire Voir la demande : Léa/);
      assert.equal(text.match(/Hugo Restauration scolaire – École \S+ 2026-2027 Déposée Voir la demande : Hugo/g)?.length, 2);
      // Léa, canteen, December: 3 days booked, 1 waiting, 2 present, 1 absent (justified); November's day is not counted.
      assert.match(text, /Réservations et présences – décembre 2026 Enfant Service Jours réservés En attente Présent Absent Détail Léa Restauration scolaire 3 1 2 1 \(dont 1 justifiée\) Jour par jour : Léa, Restauration scolaire Factures et avoirs, paiements /);
      const link = /href="(\/agent\/foyers\/[^"]+\/presences\?[^"]+)"/.exec(page.body)?.[1].replace(/&amp;/g, '&');
      assert.ok(link);
      const detail = await agent.get(link);
      assert.equal(detail.status, 200);
      const days = textOf(detail.body);
      assert.match(days, /Réservations et présences de Léa Durand – décembre 2026/);
      assert.match(days, /mardi 1er décembre Restauration scolaire, repas Réservé Présent/);
      assert.match(days, /vendredi 4 décembre Restauration scolaire, repas Réservé Absent, justifié/);
      assert.match(days, /lundi 14 décembre Restauration scolaire, repas Liste d'attente —/);
      assert.doesNotMatch(days, /30 novembre/);
      const audited = await t.ctx.db.selectFrom('audit_log').select('summary').where('target_id', '=', durand.householdId).where('action', '=', 'read.attendance').execute();
      assert.equal(audited.length, 1);
      assert.match(audited[0].summary, /a consulté les réservations et présences de Léa en décembre 2026/);
      // Another household's child through this household's page, or a malformed month: 404 and 400, never a 500.
      assert.equal((await agent.get(`/agent/foyers/${durand.householdId}/presences?enfant=${nguyen.childId}`)).status, 404);
      assert.equal((await agent.get(`/agent/foyers/${nguyen.householdId}/presences?enfant=${durand.childId}`)).status, 404);
      assert.equal((await agent.get(`/agent/foyers/${durand.householdId}/presences?enfant=${durand.childId}&mois=2026-13`)).status, 400);
      assert.equal((await agent.get(`/agent/foyers/${durand.householdId}/presences`)).status, 400);
      // The Nguyen page shows its own absence, not the Durand days.
      const other = textOf((await agent.get(`/agent/foyers/${nguyen.householdId}`)).body);
      assert.match(other, /Minh Restauration scolaire 1 0 0 1 Jour par jour/);
      assert.doesNotMatch(other, /Léa|Hugo/);
    });

    test('roles: only enfance and admin open the household page and its days; health details stay behind the audited record', async () => {
      for (const role of ['animateur', 'restauration', 'regie'] as const) {
        const other = await loggedIn(await anAgent(t.ctx, [role]));
        assert.equal((await other.get(`/agent/foyers/${durand.householdId}`)).status, 403, role);
        assert.equal((await other.get(`/agent/foyers/${durand.householdId}/presences?enfant=${durand.childId}`)).status, 403, role);
      }
      await t.ctx.db.updateTable('child_health').set({ allergies: 'Arachide', has_pai: 1, pai_description: 'Trousse d\'urgence' }).where('person_id', '=', durand.childId).execute();
      const admin = await loggedIn(await anAgent(t.ctx, ['admin']));
      const text = textOf((await admin.get(`/agent/foyers/${durand.householdId}`)).body);
      assert.match(text, /Allergies PAI Fiche sanitaire de Léa/);
      assert.doesNotMatch(text, /Arachide|Trousse d'urgence/, 'flags only on the household page');
    });

    test('the page reads a fixed number of queries whatever the household\'s size', async () => {
      let queries = 0;
      const counter: KyselyPlugin = { transformQuery: (a) => ((queries += 1), a.node), transformResult: (a) => Promise.resolve(a.result) };
      const counted = { ...t.ctx, db: t.ctx.db.withPlugin(counter) };
      const requests = requestsService(counted, { enrolment: enrolmentRequestHandler });
      const households = householdsAgentService(counted, undefined, [requestsHouseholdSection(requests), enrolmentsHouseholdSection, attendanceHouseholdSection]);
      const count = async (id: string) => {
        queries = 0;
        await households.view(town, id);
        return queries;
      };
      const small = await count(nguyen.householdId);
      for (const name of ['Lina', 'Tom', 'Zoé']) await householdsAgentService(t.ctx).addChild(town, nguyen.householdId, { first_name: name, last_name: 'Nguyen', birth_date: '2019-01-01', sex: null, school: null, class_level: null });
      assert.equal(await count(nguyen.householdId), small, 'four children cost what one did');
      assert.equal(await count(durand.householdId), small);
    });
  });
}
