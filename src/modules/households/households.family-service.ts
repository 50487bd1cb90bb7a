import type { AppContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { auditRead, writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf, type FamilyActor } from '../../platform/http/actor.ts';
import * as repo from './households.repository.ts';
import { membersOfPage } from './households.shared-service.ts';
import { noticesOf } from '../../platform/notices/notices.repository.ts';
import { currentQuotient, DIETS, type AddressPayload, type Diet, type NewChildPayload } from './households.domain.ts';

export interface HealthInput {
  diet: Diet;
  allergies: string;
  has_pai: boolean;
  pai_description: string;
  doctor_name: string;
  doctor_phone: string;
}

export interface PickupInput {
  name: string;
  relation: string;
  phone: string;
  may_pick_up: boolean;
  emergency_contact: boolean;
}

/**
 * The family side. The household always comes from the session (never from the URL);
 * every child or guardian id is checked against it, so another household's id is a 404.
 */
export function familyService(ctx: AppContext) {
  const { db, clock } = ctx;
  const today = () => clock.today();

  async function childOf(actor: FamilyActor, childId: string) {
    const child = await repo.memberOf(db, actor.householdId, childId);
    if (!child || child.role !== 'child') throw new NotFoundError();
    return child;
  }

  async function audit(tx: Parameters<typeof writeAudit>[0], actor: FamilyActor, action: string, summary: string) {
    await writeAudit(tx, clock.now(), actorOf(actor.auth), { action, targetType: 'household', targetId: actor.householdId, summary });
  }

  return {
    /** The household page: for an agent at the counter, a read of the family's contacts, audited (a guardian's own read is not). */
    async householdPage(actor: FamilyActor) {
      const page = await this.overview(actor);
      await auditRead(db, clock, actor.auth, [actor.householdId], 'household');
      return page;
    },

    /**
     * `quotient: false` for pages that do not show it (the home page): one query less; `shareMembers`
     * for a page that also shows the calendar: one read of the members for both (`membersOfPage`).
     */
    async overview(actor: FamilyActor, { quotient = true, shareMembers = false } = {}) {
      const [household, members, changes, quotients, notices] = await Promise.all([
        repo.findHousehold(db, actor.householdId),
        shareMembers ? membersOfPage(db, actor) : repo.membersOf(db, actor.householdId),
        repo.pendingChangesOf(db, actor.householdId),
        quotient ? repo.quotientsOf(db, actor.householdId) : [],
        noticesOf(db, actor.householdId, 5),
      ]);
      if (!household) throw new NotFoundError();
      return { household, members, changes, notices, quotient: currentQuotient(quotients, today()) };
    },

    /** A child's page: identity, school, diet, authorisations, health (the guardians may see it), pickup persons. */
    async child(actor: FamilyActor, childId: string) {
      const child = await childOf(actor, childId);
      const [health, pickups, otherHouseholds] = await Promise.all([repo.healthOf(db, childId), repo.pickupPersonsOf(db, [childId]), repo.otherHouseholdsOfPerson(db, childId, actor.householdId)]);
      if (actor.auth.user.kind === 'agent') {
        await writeAudit(db, clock.now(), actorOf(actor.auth), { action: 'health.read', targetType: 'household', targetId: actor.householdId, summary: `Fiche sanitaire de ${child.first_name} consultée` });
      }
      return { child, health: health!, pickups, otherHouseholds };
    },

    async guardian(actor: FamilyActor, personId: string) {
      const member = await repo.memberOf(db, actor.householdId, personId);
      if (!member || member.role !== 'guardian') throw new NotFoundError();
      return member;
    },

    async updateGuardianContact(actor: FamilyActor, personId: string, input: { phone: string | null; email: string | null }) {
      const member = await this.guardian(actor, personId);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.updatePerson(tx, personId, now, { phone: input.phone, email: input.email });
        await repo.refreshHouseholdIndex(tx, actor.householdId, now);
        await audit(tx, actor, 'household.contact_updated', `Coordonnées de ${member.first_name} ${member.last_name} modifiées`);
      });
    },

    /** « Recevoir par courriel le récapitulatif de mes réservations », for the whole household. */
    async setBookingRecap(actor: FamilyActor, on: boolean) {
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.setBookingRecap(tx, actor.householdId, on, now);
        await audit(tx, actor, 'household.booking_recap', on ? 'Récapitulatif des réservations par courriel : activé' : 'Récapitulatif des réservations par courriel : désactivé');
      });
    },

    /** An address change is checked by the town before it applies (it can change tariffs). */
    async requestAddressChange(actor: FamilyActor, address: AddressPayload) {
      const now = clock.now();
      const summary = `Nouvelle adresse : ${address.address_line1}${address.address_line2 ? `, ${address.address_line2}` : ''}, ${address.postcode} ${address.city}`;
      await db.transaction().execute(async (tx) => {
        await repo.insertPendingChange(tx, { household_id: actor.householdId, kind: 'address', payload: JSON.stringify(address), summary, submitted_by: actorOf(actor.auth).label }, now);
        await audit(tx, actor, 'household.address_requested', `Changement d'adresse demandé (${address.postcode} ${address.city})`);
      });
    },

    /** A new child is checked by the town before appearing in the household. */
    async requestNewChild(actor: FamilyActor, child: NewChildPayload) {
      const now = clock.now();
      const summary = `Nouvel enfant : ${child.first_name} ${child.last_name}, date de naissance : ${child.birth_date.split('-').reverse().join('/')}`;
      await db.transaction().execute(async (tx) => {
        await repo.insertPendingChange(tx, { household_id: actor.householdId, kind: 'new_child', payload: JSON.stringify(child), summary, submitted_by: actorOf(actor.auth).label }, now);
        await audit(tx, actor, 'household.child_requested', `Ajout de l'enfant ${child.first_name} ${child.last_name} demandé`);
      });
    },

    async updateHealth(actor: FamilyActor, childId: string, input: HealthInput) {
      const child = await childOf(actor, childId);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.updateChild(tx, childId, { diet: input.diet });
        await repo.updateHealth(tx, childId, now, {
          allergies: input.allergies,
          has_pai: input.has_pai ? 1 : 0,
          pai_description: input.has_pai ? input.pai_description : '',
          doctor_name: input.doctor_name,
          doctor_phone: input.doctor_phone,
        });
        // The log says what kind of change happened, never the health data itself.
        await audit(tx, actor, 'child.health_updated', `Fiche sanitaire de ${child.first_name} mise à jour (régime : ${DIETS[input.diet]})`);
      });
    },

    async updateAuthorisations(actor: FamilyActor, childId: string, input: { photo_allowed: boolean; may_leave_alone: boolean; transport_allowed: boolean }) {
      const child = await childOf(actor, childId);
      await db.transaction().execute(async (tx) => {
        await repo.updateChild(tx, childId, { photo_allowed: input.photo_allowed ? 1 : 0, may_leave_alone: input.may_leave_alone ? 1 : 0, transport_allowed: input.transport_allowed ? 1 : 0 });
        await audit(tx, actor, 'child.authorisations_updated', `Autorisations de ${child.first_name} mises à jour`);
      });
    },

    async addPickupPerson(actor: FamilyActor, childId: string, input: PickupInput) {
      const child = await childOf(actor, childId);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.insertPickupPerson(tx, childId, { name: input.name, relation: input.relation, phone: input.phone, may_pick_up: input.may_pick_up ? 1 : 0, emergency_contact: input.emergency_contact ? 1 : 0 }, now);
        await audit(tx, actor, 'child.pickup_added', `Nouvelle personne autorisée pour ${child.first_name} : ${input.name}`);
      });
    },

    async removePickupPerson(actor: FamilyActor, childId: string, pickupId: string) {
      const child = await childOf(actor, childId);
      await db.transaction().execute(async (tx) => {
        if (!(await repo.deletePickupPerson(tx, childId, pickupId))) throw new NotFoundError();
        await audit(tx, actor, 'child.pickup_removed', `Une personne autorisée retirée pour ${child.first_name}`);
      });
    },

    async history(actor: FamilyActor) {
      return repo.historyOf(db, actor.householdId);
    },

    async schoolLists() {
      return repo.schoolLists(db);
    },
  };
}

export type FamilyService = ReturnType<typeof familyService>;
