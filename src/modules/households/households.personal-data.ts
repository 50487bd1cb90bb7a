import type { Executor } from '../../platform/audit/audit.repository.ts';
import { ANONYMOUS_NAME, flag, labelOf, REDACTED, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { ANONYMOUS_HOUSEHOLD_NAME, birthYearOnly } from '../privacy/privacy.domain.ts';
import { DIETS, PENDING_KIND_LABELS, PENDING_STATUS_LABELS, QUOTIENT_SOURCES } from './households.domain.ts';

/**
 * Personal data of the households module: the household, its persons, children's files, health
 * records, pickup persons, family quotients and pending changes. Every select names its columns.
 */

const SEX = { F: 'Fille ou femme', M: 'Garçon ou homme' };

async function members(db: Executor, householdId: string) {
  return db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .leftJoin('children', 'children.person_id', 'persons.id')
    .leftJoin('child_health', 'child_health.person_id', 'persons.id')
    .select([
      'persons.id',
      'persons.first_name',
      'persons.last_name',
      'persons.birth_date',
      'persons.sex',
      'persons.email',
      'persons.phone',
      'persons.created_at',
      'household_members.role',
      'household_members.relationship',
      'children.school',
      'children.class_level',
      'children.diet',
      'children.photo_allowed',
      'children.may_leave_alone',
      'children.transport_allowed',
      'child_health.allergies',
      'child_health.has_pai',
      'child_health.pai_description',
      'child_health.doctor_name',
      'child_health.doctor_phone',
      'child_health.updated_at as health_updated_at',
    ])
    .where('household_members.household_id', '=', householdId)
    .orderBy('household_members.role', 'desc')
    .orderBy('persons.birth_date')
    .orderBy('persons.first_name')
    .execute();
}

export const householdsPersonalData: PersonalDataDeclaration = {
  module: 'households',
  tables: [
    { name: 'households', keys: ['id', 'payer_person_id', 'merged_into_id'], personal: ['name', 'address_line1', 'address_line2', 'postcode', 'city', 'external_ref', 'search'] },
    { name: 'persons', keys: ['id', 'user_id'], personal: ['first_name', 'last_name', 'birth_date', 'sex', 'email', 'phone', 'search'] },
    { name: 'household_members', keys: ['household_id', 'person_id'], personal: ['relationship'] },
    { name: 'children', keys: ['person_id'], personal: ['school', 'class_level', 'diet', 'photo_allowed', 'may_leave_alone', 'transport_allowed'] },
    { name: 'child_health', keys: ['person_id'], personal: ['allergies', 'has_pai', 'pai_description', 'doctor_name', 'doctor_phone'] },
    { name: 'pickup_persons', keys: ['child_person_id'], personal: ['name', 'relation', 'phone'] },
    { name: 'quotients', keys: ['household_id'], personal: ['value_eur', 'reference_month'] },
    { name: 'pending_changes', keys: ['household_id'], personal: ['payload', 'summary', 'reason', 'submitted_by'] },
  ],
  sections: [
    { key: 'household', title: 'Foyer', single: true, empty: 'Foyer introuvable.', fields: { reference: 'Numéro de foyer', name: 'Nom', address_line1: 'Adresse', address_line2: 'Complément d\'adresse', postcode: 'Code postal', city: 'Commune', created_at: 'Créé le' } },
    { key: 'guardians', title: 'Responsables', empty: 'Aucun responsable.', fields: { first_name: 'Prénom', last_name: 'Nom', relationship: 'Lien', email: 'Courriel', phone: 'Téléphone', payer: 'Payeur' } },
    { key: 'children', title: 'Enfants', empty: 'Aucun enfant enregistré.', fields: { first_name: 'Prénom', last_name: 'Nom', birth_date: 'Date de naissance', sex: 'Sexe', school: 'École', class_level: 'Classe', photo_allowed: 'Photos', may_leave_alone: 'Rentre seul', transport_allowed: 'Transport en car' } },
    { key: 'health', title: 'Fiches sanitaires', empty: 'Aucune fiche sanitaire.', fields: { child: 'Enfant', diet: 'Régime alimentaire', allergies: 'Allergies', has_pai: 'PAI', pai_description: 'Détail du PAI', doctor_name: 'Médecin traitant', doctor_phone: 'Téléphone du médecin', updated_at: 'Mise à jour le' } },
    { key: 'pickup_persons', title: 'Personnes autorisées', empty: 'Aucune personne autorisée en dehors des responsables.', fields: { child: 'Enfant', name: 'Nom', relation: 'Lien', phone: 'Téléphone', may_pick_up: 'Peut venir chercher', emergency_contact: 'À appeler en urgence' } },
    { key: 'quotients', title: 'Quotient familial', empty: 'Aucun quotient familial enregistré.', fields: { value_eur: 'Montant (€)', reference_month: 'Mois de référence', source: 'Source', valid_until: 'Valable jusqu\'au', created_at: 'Enregistré le' } },
    { key: 'pending_changes', title: 'Demandes de modification', empty: 'Aucune demande de modification.', fields: { kind: 'Demande', summary: 'Détail', status: 'État', reason: 'Motif', submitted_at: 'Envoyée le', decided_at: 'Traitée le' } },
  ],

  async export(db, scope) {
    const [household, people, pickups, quotients, changes] = await Promise.all([
      db.selectFrom('households').select(['id', 'reference', 'name', 'address_line1', 'address_line2', 'postcode', 'city', 'payer_person_id', 'created_at']).where('id', '=', scope.householdId).executeTakeFirst(),
      members(db, scope.householdId),
      db
        .selectFrom('pickup_persons')
        .innerJoin('household_members', 'household_members.person_id', 'pickup_persons.child_person_id')
        .innerJoin('persons', 'persons.id', 'pickup_persons.child_person_id')
        .select(['persons.first_name as child', 'pickup_persons.name', 'pickup_persons.relation', 'pickup_persons.phone', 'pickup_persons.may_pick_up', 'pickup_persons.emergency_contact', 'pickup_persons.created_at'])
        .where('household_members.household_id', '=', scope.householdId)
        .orderBy('pickup_persons.created_at')
        .execute(),
      db.selectFrom('quotients').select(['value_eur', 'reference_month', 'source', 'valid_until', 'created_at']).where('household_id', '=', scope.householdId).orderBy('created_at', 'desc').execute(),
      db.selectFrom('pending_changes').select(['kind', 'summary', 'status', 'reason', 'submitted_at', 'decided_at']).where('household_id', '=', scope.householdId).orderBy('submitted_at', 'desc').execute(),
    ]);
    const children = people.filter((p) => p.role === 'child');
    return {
      household: household
        ? [{ reference: household.reference, name: household.name, address_line1: household.address_line1, address_line2: household.address_line2, postcode: household.postcode, city: household.city, created_at: household.created_at }]
        : [],
      guardians: people
        .filter((p) => p.role === 'guardian')
        .map((g) => ({ id: g.id, first_name: g.first_name, last_name: g.last_name, relationship: g.relationship, email: g.email, phone: g.phone, payer: g.id === household?.payer_person_id, created_at: g.created_at })),
      children: children.map((c) => ({
        id: c.id,
        first_name: c.first_name,
        last_name: c.last_name,
        birth_date: c.birth_date,
        sex: labelOf(SEX, c.sex),
        school: c.school,
        class_level: c.class_level,
        photo_allowed: flag(c.photo_allowed),
        may_leave_alone: flag(c.may_leave_alone),
        transport_allowed: flag(c.transport_allowed),
        created_at: c.created_at,
      })),
      health: children.map((c) => ({
        child: c.first_name,
        diet: labelOf(DIETS, c.diet),
        allergies: c.allergies ?? '',
        has_pai: flag(c.has_pai),
        pai_description: c.pai_description ?? '',
        doctor_name: c.doctor_name ?? '',
        doctor_phone: c.doctor_phone ?? '',
        updated_at: c.health_updated_at,
      })),
      pickup_persons: pickups.map((p) => ({ child: p.child, name: p.name, relation: p.relation, phone: p.phone, may_pick_up: flag(p.may_pick_up), emergency_contact: flag(p.emergency_contact), created_at: p.created_at })),
      quotients: quotients.map((q) => ({ value_eur: q.value_eur, reference_month: q.reference_month, source: labelOf(QUOTIENT_SOURCES, q.source), valid_until: q.valid_until, created_at: q.created_at })),
      pending_changes: changes.map((c) => ({ kind: labelOf(PENDING_KIND_LABELS, c.kind), summary: c.summary, status: labelOf(PENDING_STATUS_LABELS, c.status), reason: c.reason, submitted_at: c.submitted_at, decided_at: c.decided_at })),
    };
  },

  async anonymise(tx, scope, now) {
    const at = now.toISOString();
    await tx.updateTable('households').set({ name: ANONYMOUS_HOUSEHOLD_NAME, address_line1: '', address_line2: null, postcode: '', city: '', external_ref: null, search: '', updated_at: at }).where('id', '=', scope.householdId).execute();
    // Pending changes keep their kind, status and dates; their text (names, address) goes.
    await tx.updateTable('pending_changes').set({ summary: REDACTED, payload: '{}', submitted_by: REDACTED, reason: null }).where('household_id', '=', scope.householdId).execute();
    if (scope.personIds.length === 0) return;
    const persons = await tx.selectFrom('persons').select(['id', 'birth_date']).where('id', 'in', scope.personIds).execute();
    for (const p of persons) {
      await tx
        .updateTable('persons')
        .set({ first_name: ANONYMOUS_NAME, last_name: ANONYMOUS_NAME, birth_date: birthYearOnly(p.birth_date), email: null, phone: null, search: '', updated_at: at })
        .where('id', '=', p.id)
        .execute();
    }
    await tx.updateTable('household_members').set({ relationship: null }).where('household_id', '=', scope.householdId).where('person_id', 'in', scope.personIds).execute();
    await tx.updateTable('child_health').set({ allergies: '', has_pai: 0, pai_description: '', doctor_name: '', doctor_phone: '', updated_at: at }).where('person_id', 'in', scope.personIds).execute();
    // A medical diet says something about health too.
    await tx.updateTable('children').set({ diet: 'standard' }).where('person_id', 'in', scope.personIds).execute();
    await tx.deleteFrom('pickup_persons').where('child_person_id', 'in', scope.personIds).execute();
  },
};
