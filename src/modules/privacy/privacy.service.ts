import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { NotFoundError, RuleError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import * as repo from './privacy.repository.ts';
import { birthYearOnly, canAnonymise, personsToAnonymise, retentionEnd, RETENTION_YEARS } from './privacy.domain.ts';

const flag = (v: number | null) => v === 1;

/**
 * RGPD use cases: a family downloads what the portal holds about it (right of access, art. 15,
 * and portability, art. 20); an admin anonymises a household at the end of its retention period.
 */
export function privacyService(ctx: AppContext) {
  const { db, clock } = ctx;

  return {
    /**
     * Everything held about the actor's household. The household comes from the session (FamilyActor),
     * never from the request. Written as an audit row: the export contains health data.
     */
    async exportHousehold(actor: FamilyActor) {
      const householdId = actor.householdId;
      const userId = actor.auth.user.kind === 'guardian' ? actor.auth.user.id : null;
      const [household, members, pickups, quotients, changes, account] = await Promise.all([
        repo.householdForExport(db, householdId),
        repo.membersForExport(db, householdId),
        repo.pickupPersonsForExport(db, householdId),
        repo.quotientsForExport(db, householdId),
        repo.pendingChangesForExport(db, householdId),
        userId ? repo.accountForExport(db, userId) : Promise.resolve(undefined),
      ]);
      if (!household) throw new NotFoundError();
      const now = clock.now();
      await writeAudit(db, now, actorOf(actor.auth), { action: 'privacy.export', targetType: 'household', targetId: householdId, summary: 'Données du foyer consultées ou téléchargées (droit d\'accès)' });
      // Read after writing, so the export lists its own consultation too.
      const history = await repo.historyForExport(db, householdId, userId);

      const guardians = members.filter((m) => m.role === 'guardian');
      const children = members.filter((m) => m.role === 'child');
      return {
        generated_at: now.toISOString(),
        household: {
          reference: household.reference,
          name: household.name,
          address: { line1: household.address_line1, line2: household.address_line2, postcode: household.postcode, city: household.city },
          created_at: household.created_at,
          updated_at: household.updated_at,
          archived_at: household.archived_at,
        },
        guardians: guardians.map((g) => ({
          id: g.id,
          first_name: g.first_name,
          last_name: g.last_name,
          relationship: g.relationship,
          email: g.email,
          phone: g.phone,
          payer: g.id === household.payer_person_id,
          created_at: g.created_at,
        })),
        children: children.map((c) => ({
          id: c.id,
          first_name: c.first_name,
          last_name: c.last_name,
          birth_date: c.birth_date,
          sex: c.sex,
          school: c.school,
          class_level: c.class_level,
          authorisations: { photo: flag(c.photo_allowed), leave_alone: flag(c.may_leave_alone), transport: flag(c.transport_allowed) },
          health: {
            diet: c.diet,
            allergies: c.allergies ?? '',
            has_pai: flag(c.has_pai),
            pai_description: c.pai_description ?? '',
            doctor_name: c.doctor_name ?? '',
            doctor_phone: c.doctor_phone ?? '',
            updated_at: c.health_updated_at,
          },
          pickup_persons: pickups
            .filter((p) => p.child_person_id === c.id)
            .map((p) => ({ name: p.name, relation: p.relation, phone: p.phone, may_pick_up: flag(p.may_pick_up), emergency_contact: flag(p.emergency_contact), created_at: p.created_at })),
        })),
        quotients: quotients.map((q) => ({ value_eur: q.value_eur, reference_month: q.reference_month, source: q.source, valid_until: q.valid_until, created_at: q.created_at })),
        pending_changes: changes.map((c) => ({ kind: c.kind, summary: c.summary, status: c.status, reason: c.reason, submitted_at: c.submitted_at, decided_at: c.decided_at })),
        history: history.map((h) => ({ at: h.at, by: h.actor_label, action: h.action, summary: h.summary })),
        account: account
          ? { email: account.email, first_name: account.first_name, last_name: account.last_name, phone: account.phone, status: account.status, email_verified_at: account.email_verified_at, created_at: account.created_at, last_login_at: account.last_login_at }
          : null,
      };
    },

    /** What the admin sees before anonymising: the rule, whether it applies now, who will be kept. */
    async anonymisationPreview(auth: Auth | null, householdId: string) {
      assertRole(auth, 'admin');
      const h = await repo.householdForAnonymisation(db, householdId);
      if (!h) throw new NotFoundError();
      const members = await repo.membersOfHousehold(db, householdId);
      const shared = await repo.personsSharedWithLiveHousehold(db, members.map((m) => m.id), householdId);
      const split = personsToAnonymise(members.map((m) => m.id), shared);
      return {
        household: h,
        decision: canAnonymise(h, clock.now()),
        retentionYears: RETENTION_YEARS,
        retentionEnd: h.archived_at ? retentionEnd(h.archived_at).toISOString() : null,
        toAnonymise: split.anonymise.length,
        kept: split.keep.length,
      };
    },

    /** Anonymises the household in one transaction; refused (RuleError) unless the retention rule allows it. */
    async anonymise(auth: Auth | null, householdId: string) {
      assertRole(auth, 'admin');
      const h = await repo.householdForAnonymisation(db, householdId);
      if (!h) throw new NotFoundError();
      const now = clock.now();
      const decision = canAnonymise(h, now);
      if (!decision.ok) throw new RuleError(decision.reason);
      return db.transaction().execute(async (tx) => {
        if (!(await repo.markAnonymised(tx, householdId, h.archived_at!, now))) throw new RuleError('Ce foyer vient d\'être modifié ou anonymisé par ailleurs. Rechargez la page.');
        const members = await repo.membersOfHousehold(tx, householdId);
        const shared = await repo.personsSharedWithLiveHousehold(tx, members.map((m) => m.id), householdId);
        const { anonymise, keep } = personsToAnonymise(members.map((m) => m.id), shared);
        const gone = members.filter((m) => anonymise.includes(m.id));
        const userIds = gone.map((m) => m.user_id).filter((u): u is string => !!u);
        const childIds = gone.filter((m) => m.kind === 'child').map((m) => m.id);
        const addresses = [...new Set([...gone.map((m) => m.email).filter((e): e is string => !!e), ...(await repo.emailsOfUsers(tx, userIds))])];

        for (const m of gone) await repo.anonymisePerson(tx, m.id, birthYearOnly(m.birth_date), now);
        await repo.blankHealth(tx, childIds, now);
        await repo.deletePickupPersons(tx, childIds);
        await repo.disableUsers(tx, userIds, now);
        await repo.endAssistedSessions(tx, householdId);
        await repo.redactPendingChanges(tx, householdId);
        await repo.deleteMailsTo(tx, addresses);
        await repo.redactAudit(tx, householdId, userIds);
        await writeAudit(tx, now, { ...actorOf(auth), onBehalfOfHouseholdId: null }, {
          action: 'household.anonymised',
          targetType: 'household',
          targetId: householdId,
          summary: `Foyer ${h.reference} anonymisé après ${RETENTION_YEARS} ans d'archivage : ${anonymise.length} personne(s) anonymisée(s), ${keep.length} conservée(s) car rattachée(s) à un autre foyer`,
        });
        return { reference: h.reference, anonymised: anonymise.length, kept: keep.length };
      });
    },
  };
}

export type PrivacyService = ReturnType<typeof privacyService>;
