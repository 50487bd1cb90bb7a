import type { AppContext } from '../../platform/context.ts';
import type { AgentRole, Auth } from '../../platform/http/auth-types.ts';
import type { ComponentChildren } from 'preact';
import { NotFoundError, RuleError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { auditRead, writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { setActingHousehold } from '../../platform/http/session.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { identityService, type IdentityService } from '../identity/identity.service.ts';
import * as identityShared from '../identity/identity.shared-service.ts';
import * as repo from './households.repository.ts';
import { currentQuotient, searchTokens, type AddressPayload, type NewChildPayload } from './households.domain.ts';
import * as mails from './households.mails.ts';
import { recordQuotient } from './households.quotient-service.ts';
import { fail, ok } from '../../platform/result.ts';
import { HOUSEHOLD_OUTCOMES, type HouseholdOutcome } from './households.outcomes.ts';

export interface GuardianInput {
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  relationship: string | null;
}

/**
 * inviteGuardian keeps its flat shape (the activation code travels in `code`, read by the demo seed
 * and the test builders, which the secrets work of issue 8 reshapes): the refusal carries its
 * closed `reason` code, and `error` its wording for those callers.
 */
const inviteFailed = (reason: HouseholdOutcome) => ({ ok: false as const, reason, error: HOUSEHOLD_OUTCOMES[reason] });

/**
 * A part of the agent's household page that another module contributes (requests of every type, enrolments,
 * bookings and attendance now; documents, invoices and balance as those modules land), the way request
 * types plug into the request model: the composition root hands them over, the households module knows none.
 */
export interface HouseholdSection {
  /** The heading of the section (« Demandes », « Inscriptions »…). */
  title: string;
  /** Agent roles that may read it, among those that may open the household page; none: all of them. */
  roles?: readonly AgentRole[];
  /** Its content, read with a fixed number of queries whatever the household's size (never one per child). */
  render(db: Executor, household: { id: string; children: readonly { id: string; first_name: string }[] }, today: string): Promise<ComponentChildren>;
}

/** The back office for families (role enfance, or admin). Every change writes an audit row on the household. */
export function householdsAgentService(ctx: AppContext, identity: IdentityService = identityService(ctx), sections: readonly HouseholdSection[] = []) {
  const { db, clock, config } = ctx;
  const today = () => clock.today();

  const audit = (tx: Executor, auth: Auth, householdId: string, action: string, summary: string) =>
    writeAudit(tx, clock.now(), { ...actorOf(auth), onBehalfOfHouseholdId: null }, { action, targetType: 'household', targetId: householdId, summary });

  async function household(auth: Auth | null, id: string) {
    assertRole(auth, 'admin', 'enfance');
    const h = await repo.findHousehold(db, id);
    if (!h) throw new NotFoundError();
    return h;
  }

  /** Changes are refused on a household merged into another or anonymised: its data is gone for good. */
  async function editable(auth: Auth | null, id: string) {
    const h = await household(auth, id);
    if (h.anonymised_at || h.merged_into_id) throw new RuleError('Ce foyer est anonymisé ou fusionné : il ne peut plus être modifié.');
    return h;
  }

  /** A guardian person, with a login invited by e-mail when an address is given. */
  async function addGuardianTx(tx: Executor, householdId: string, g: GuardianInput, now: Date) {
    const personId = await repo.insertPerson(tx, { kind: 'adult', first_name: g.first_name, last_name: g.last_name, email: g.email, phone: g.phone }, now);
    await repo.addMember(tx, householdId, personId, 'guardian', now, g.relationship);
    return personId;
  }

  async function addChildTx(tx: Executor, householdId: string, c: NewChildPayload, now: Date) {
    const personId = await repo.insertPerson(tx, { kind: 'child', first_name: c.first_name, last_name: c.last_name, birth_date: c.birth_date, sex: c.sex }, now);
    await repo.insertChild(tx, personId, { school: c.school, class_level: c.class_level }, now);
    await repo.addMember(tx, householdId, personId, 'child', now);
    return personId;
  }

  return {
    addGuardianTx,
    addChildTx,

    /** For the CSV import: a household created inside the import's own transaction (all or nothing). */
    insertHouseholdTx: (tx: Executor, h: AddressPayload & { name: string; external_ref: string | null }, now: Date) => repo.insertHousehold(tx, h, now),
    setPayerTx: (tx: Executor, householdId: string, personId: string, now: Date) => repo.updateHousehold(tx, householdId, now, { payer_person_id: personId }),
    refreshIndexTx: (tx: Executor, householdId: string, now: Date) => repo.refreshHouseholdIndex(tx, householdId, now),

    assertCanManage(auth: Auth | null) {
      assertRole(auth, 'admin', 'enfance');
    },

    async search(auth: Auth | null, query: string, includeArchived = false) {
      assertRole(auth, 'admin', 'enfance');
      const tokens = searchTokens(query);
      if (tokens.length === 0) return [];
      return repo.searchHouseholds(db, tokens, { includeArchived, limit: 50 });
    },

    async create(auth: Auth | null, address: AddressPayload, guardian: GuardianInput) {
      assertRole(auth, 'admin', 'enfance');
      const now = clock.now();
      const id = await db.transaction().execute(async (tx) => {
        const householdId = await repo.insertHousehold(tx, { ...address, name: `Foyer ${guardian.last_name}` }, now);
        const personId = await addGuardianTx(tx, householdId, guardian, now);
        await repo.updateHousehold(tx, householdId, now, { payer_person_id: personId });
        await repo.refreshHouseholdIndex(tx, householdId, now);
        await audit(tx, auth, householdId, 'household.created', `Foyer créé avec ${guardian.first_name} ${guardian.last_name}`);
        return householdId;
      });
      return id;
    },

    /** Everything about a household on one screen, without health details (they are opened child by child, and audited). */
    async get(auth: Auth | null, id: string) {
      const h = await household(auth, id);
      const [members, quotients, changes, history] = await Promise.all([repo.membersOf(db, id), repo.quotientsOf(db, id), repo.pendingChangesOf(db, id), repo.historyOf(db, id, 50)]);
      const childIds = members.filter((m) => m.role === 'child').map((m) => m.id);
      const [pickups, health] = await Promise.all([repo.pickupPersonsOf(db, childIds), repo.healthOfHousehold(db, id)]);
      // Only flags on the household page: "has allergies / has a PAI", so the agent knows to open the record.
      const healthFlags = new Map(health.map((h) => [h.person_id, { allergies: h.allergies.trim() !== '', pai: h.has_pai === 1 }]));
      return { household: h, members, quotients, quotient: currentQuotient(quotients, today()), changes, history, pickups, healthFlags };
    },

    /**
     * The household page an agent reads (contacts, pickup phone numbers, health flags, and the sections other
     * modules contribute, those the agent's roles may read): the read is audited, one row per view.
     */
    async view(auth: Auth | null, id: string) {
      const page = await this.get(auth, id);
      const children = page.members.filter((m) => m.role === 'child').map((m) => ({ id: m.id, first_name: m.first_name }));
      const readable = sections.filter((s) => !s.roles || s.roles.some((r) => auth?.user.roles.includes(r)));
      const parts = await Promise.all(readable.map(async (s) => ({ title: s.title, content: await s.render(db, { id, children }, today()) })));
      await auditRead(db, clock, auth, [id], 'household');
      return { ...page, sections: parts };
    },

    /** The full health record of a child: only for enfance/admin, and every read is logged. */
    async readHealth(auth: Auth | null, householdId: string, childId: string) {
      await household(auth, householdId);
      const child = await repo.memberOf(db, householdId, childId);
      if (!child || child.role !== 'child') throw new NotFoundError();
      const health = await repo.healthOf(db, childId);
      await writeAudit(db, clock.now(), actorOf(auth!), { action: 'health.read', targetType: 'household', targetId: householdId, summary: `Fiche sanitaire de ${child.first_name} consultée` });
      return { child, health: health! };
    },

    async updateAddress(auth: Auth | null, id: string, address: AddressPayload) {
      await editable(auth, id);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.updateHousehold(tx, id, now, address);
        await repo.refreshHouseholdIndex(tx, id, now);
        await audit(tx, auth!, id, 'household.address_updated', `Adresse modifiée : ${address.postcode} ${address.city}`);
      });
    },

    async addGuardian(auth: Auth | null, id: string, g: GuardianInput) {
      await editable(auth, id);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await addGuardianTx(tx, id, g, now);
        await repo.refreshHouseholdIndex(tx, id, now);
        await audit(tx, auth!, id, 'household.guardian_added', `Responsable ajouté : ${g.first_name} ${g.last_name}`);
      });
    },

    async addChild(auth: Auth | null, id: string, c: NewChildPayload) {
      await editable(auth, id);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await addChildTx(tx, id, c, now);
        await repo.refreshHouseholdIndex(tx, id, now);
        await audit(tx, auth!, id, 'household.child_added', `Enfant ajouté : ${c.first_name} ${c.last_name}`);
      });
    },

    /** A child already known in another household (separated parents) joins this one too. */
    async shareChild(auth: Auth | null, id: string, childId: string) {
      await editable(auth, id);
      const child = await db.transaction().execute(async (tx) => {
        const p = await repo.findPersonForShare(tx, childId);
        if (!p || p.kind !== 'child') throw new NotFoundError();
        const now = clock.now();
        await repo.addMember(tx, id, childId, 'child', now);
        await repo.refreshHouseholdIndex(tx, id, now);
        await audit(tx, auth!, id, 'household.child_shared', `${p.first_name} ${p.last_name} fait aussi partie de ce foyer`);
        return p;
      });
      return child;
    },

    async setPayer(auth: Auth | null, id: string, personId: string) {
      await editable(auth, id);
      const member = await repo.memberOf(db, id, personId);
      if (!member || member.role !== 'guardian') throw new NotFoundError();
      await db.transaction().execute(async (tx) => {
        await repo.updateHousehold(tx, id, clock.now(), { payer_person_id: personId });
        await audit(tx, auth!, id, 'household.payer_set', `Payeur : ${member.first_name} ${member.last_name}`);
      });
    },

    /** A QF value entered or corrected by an enfance or admin agent, with its reason (audited). */
    async addQuotient(auth: Auth | null, id: string, q: { value_eur: number; reference_month: string; source: 'caf' | 'msa' | 'agent'; reason: string; valid_until: string | null }) {
      await editable(auth, id);
      await db.transaction().execute((tx) =>
        recordQuotient(tx, { householdId: id, amountEuros: q.value_eur, fromMonth: q.reference_month, source: q.source, reason: q.reason, validUntil: q.valid_until, actor: { ...actorOf(auth!), onBehalfOfHouseholdId: null }, at: clock.now() }),
      );
    },

    async setArchived(auth: Auth | null, id: string, archived: boolean) {
      const h = await household(auth, id);
      if (h.anonymised_at) throw new RuleError('Ce foyer est anonymisé.');
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.updateHousehold(tx, id, now, { archived_at: archived ? now.toISOString() : null });
        await audit(tx, auth!, id, archived ? 'household.archived' : 'household.unarchived', archived ? 'Foyer archivé' : 'Foyer réactivé');
      });
    },

    /** Two households created for the same family: the members, QF and pending changes of `sourceId` move to `targetId`, which stays. */
    async merge(auth: Auth | null, targetId: string, sourceReference: string) {
      const target = await household(auth, targetId);
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const source = await repo.findHouseholdByReference(tx, sourceReference.trim().toUpperCase());
        if (!source || source.id === target.id || source.merged_into_id) return fail('merge_not_found');
        await repo.moveHouseholdContents(tx, source.id, target.id);
        await repo.updateHousehold(tx, source.id, now, { merged_into_id: target.id, archived_at: now.toISOString() });
        await repo.refreshHouseholdIndex(tx, target.id, now);
        await audit(tx, auth!, target.id, 'household.merged', `Foyer ${source.reference} fusionné dans ce foyer`);
        await audit(tx, auth!, source.id, 'household.merged_away', `Fusionné dans le foyer ${target.reference}`);
        return ok({ sourceReference: source.reference });
      });
    },

    /**
     * Links a self-signed-up account (waiting for a household) to a guardian of this household:
     * an existing guardian without login, or a new guardian made from the account.
     */
    async linkAccount(auth: Auth | null, id: string, email: string) {
      await editable(auth, id);
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const user = await identityShared.findUserByEmail(tx, email);
        if (!user || user.kind !== 'guardian') return fail('link_no_account');
        if (user.status !== 'pending_link') return fail('link_not_waiting');
        if (await repo.personOfUser(tx, user.id)) return fail('link_already_linked');
        const members = await repo.membersOf(tx, id);
        const match = members.find((m) => m.role === 'guardian' && !m.user_id && (m.email?.toLowerCase() === email.toLowerCase() || (m.first_name.toLowerCase() === user.first_name.toLowerCase() && m.last_name.toLowerCase() === user.last_name.toLowerCase())));
        const personId = match?.id ?? (await addGuardianTx(tx, id, { first_name: user.first_name, last_name: user.last_name, email, phone: user.phone, relationship: null }, now));
        await repo.updatePerson(tx, personId, now, { user_id: user.id, email });
        await identityShared.markLinkedAccountActive(tx, user.id, now);
        await repo.refreshHouseholdIndex(tx, id, now);
        await insertMail(tx, now, mails.accountLinked({ to: email, firstName: user.first_name, link: `${config.publicUrl}/connexion`, town: config.town.name }));
        await audit(tx, auth!, id, 'household.account_linked', `Compte de ${user.first_name} ${user.last_name} rattaché au foyer`);
        return ok(null);
      });
    },

    /** Opens the family's login: an activation code for a guardian of this household who has none yet. */
    async inviteGuardian(auth: Auth | null, id: string, personId: string) {
      await editable(auth, id);
      const member = await repo.memberOf(db, id, personId);
      if (!member || member.role !== 'guardian') throw new NotFoundError();
      if (member.user_id) return inviteFailed('invite_has_account');
      const invited = await identity.invite(auth, { email: member.email ?? undefined, firstName: member.first_name, lastName: member.last_name, phone: member.phone ?? undefined });
      if (!invited.ok) return inviteFailed('invite_email_taken');
      await db.transaction().execute(async (tx) => {
        await repo.updatePerson(tx, personId, clock.now(), { user_id: invited.value.userId });
        await audit(tx, auth!, id, 'household.guardian_invited', `Code d'activation ${invited.value.channel === 'email' ? 'envoyé par courriel' : 'à imprimer'} pour ${member.first_name} ${member.last_name}`);
      });
      return { ok: true as const, userId: invited.value.userId, channel: invited.value.channel, code: invited.value.code };
    },

    async pendingQueue(auth: Auth | null) {
      assertRole(auth, 'admin', 'enfance');
      return repo.pendingQueue(db);
    },

    /** Accepting applies the change in the same transaction; refusing needs a reason the family will read. */
    async decide(auth: Auth | null, changeId: string, decision: 'accepted' | 'refused', reason: string | null) {
      assertRole(auth, 'admin', 'enfance');
      if (decision === 'refused' && !reason?.trim()) return fail('refusal_needs_reason');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const change = await repo.findPendingChange(tx, changeId);
        if (!change) throw new NotFoundError();
        if (!(await repo.decidePendingChange(tx, changeId, decision, actorOf(auth).label, reason?.trim() || null, now))) return fail('change_already_decided');
        if (decision === 'accepted') {
          if (change.kind === 'new_child') await addChildTx(tx, change.household_id, JSON.parse(change.payload) as NewChildPayload, now);
          if (change.kind === 'address') await repo.updateHousehold(tx, change.household_id, now, JSON.parse(change.payload) as AddressPayload);
          await repo.refreshHouseholdIndex(tx, change.household_id, now);
        }
        await audit(tx, auth, change.household_id, `change.${decision}`, `${change.summary} : ${decision === 'accepted' ? 'validé' : `refusé (${reason})`}`);
        return ok({ householdId: change.household_id });
      });
    },

    /** Assisted mode: the agent's session now acts for this household, until they leave it. */
    async startAssisted(auth: Auth | null, id: string) {
      const h = await household(auth, id);
      if (h.archived_at) throw new RuleError('Ce foyer est archivé.');
      await db.transaction().execute(async (tx) => {
        await setActingHousehold(tx, auth!.sessionId, id);
        await audit(tx, auth!, id, 'assisted.started', `${auth!.user.firstName} ${auth!.user.lastName} ouvre l'espace de la famille à l'accueil`);
      });
    },

    async stopAssisted(auth: Auth) {
      const id = auth.actingHouseholdId;
      if (!id) return null;
      await db.transaction().execute(async (tx) => {
        await setActingHousehold(tx, auth.sessionId, null);
        await audit(tx, auth, id, 'assisted.ended', `Fin du mode accueil (${auth.user.firstName} ${auth.user.lastName})`);
      });
      return id;
    },

    async schoolLists() {
      return repo.schoolLists(db);
    },
  };
}

export type HouseholdsAgentService = ReturnType<typeof householdsAgentService>;
