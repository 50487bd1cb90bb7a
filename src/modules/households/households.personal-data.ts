import { flag, labelOf, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { DIETS, PENDING_KIND_LABELS, PENDING_STATUS_LABELS, QUOTIENT_SOURCES } from './households.domain.ts';
import { anonymiseHousehold, householdExportRows } from './households.personal-data.repository.ts';

/**
 * Personal data of the households module: the household, its persons, children's files, health
 * records, pickup persons, family quotients and pending changes (queries in households.personal-data.repository.ts).
 */

const SEX = { F: 'Fille ou femme', M: 'Garçon ou homme' };

export const householdsPersonalData: PersonalDataDeclaration = {
  module: 'households',
  tables: [
    { name: 'households', keys: ['id', 'payer_person_id', 'merged_into_id'], personal: ['name', 'address_line1', 'address_line2', 'postcode', 'city', 'external_ref', 'search'] },
    { name: 'persons', keys: ['id', 'user_id'], personal: ['first_name', 'last_name', 'birth_date', 'sex', 'email', 'phone', 'search'] },
    { name: 'household_members', keys: ['household_id', 'person_id'], personal: ['relationship'] },
    { name: 'children', keys: ['person_id'], personal: ['school', 'class_level', 'diet', 'photo_allowed', 'may_leave_alone', 'transport_allowed'] },
    { name: 'child_health', keys: ['person_id'], personal: ['allergies', 'has_pai', 'pai_description', 'doctor_name', 'doctor_phone'] },
    { name: 'pickup_persons', keys: ['child_person_id'], personal: ['name', 'relation', 'phone'] },
    { name: 'quotients', keys: ['household_id'], personal: ['value_eur', 'reference_month', 'reason'] },
    { name: 'pending_changes', keys: ['household_id'], personal: ['payload', 'summary', 'reason', 'submitted_by'] },
  ],
  sections: [
    { key: 'household', title: 'Foyer', single: true, empty: 'Foyer introuvable.', fields: { reference: 'Numéro de foyer', name: 'Nom', address_line1: 'Adresse', address_line2: 'Complément d\'adresse', postcode: 'Code postal', city: 'Commune', created_at: 'Créé le' } },
    { key: 'guardians', title: 'Responsables', empty: 'Aucun responsable.', fields: { first_name: 'Prénom', last_name: 'Nom', relationship: 'Lien', email: 'Courriel', phone: 'Téléphone', payer: 'Payeur' } },
    { key: 'children', title: 'Enfants', empty: 'Aucun enfant enregistré.', fields: { first_name: 'Prénom', last_name: 'Nom', birth_date: 'Date de naissance', sex: 'Sexe', school: 'École', class_level: 'Classe', photo_allowed: 'Photos', may_leave_alone: 'Rentre seul', transport_allowed: 'Transport en car' } },
    { key: 'health', title: 'Fiches sanitaires', empty: 'Aucune fiche sanitaire.', fields: { child: 'Enfant', diet: 'Régime alimentaire', allergies: 'Allergies', has_pai: 'PAI', pai_description: 'Détail du PAI', doctor_name: 'Médecin traitant', doctor_phone: 'Téléphone du médecin', updated_at: 'Mise à jour le' } },
    { key: 'pickup_persons', title: 'Personnes autorisées', empty: 'Aucune personne autorisée en dehors des responsables.', fields: { child: 'Enfant', name: 'Nom', relation: 'Lien', phone: 'Téléphone', may_pick_up: 'Peut venir chercher', emergency_contact: 'À appeler en urgence' } },
    { key: 'quotients', title: 'Quotient familial', empty: 'Aucun quotient familial enregistré.', fields: { value_eur: 'Montant (€)', reference_month: 'À partir de', source: 'Source', reason: 'Motif', valid_until: 'Valable jusqu\'au', created_at: 'Enregistré le' } },
    { key: 'pending_changes', title: 'Demandes de modification', empty: 'Aucune demande de modification.', fields: { kind: 'Demande', summary: 'Détail', status: 'État', reason: 'Motif', submitted_at: 'Envoyée le', decided_at: 'Traitée le' } },
  ],

  async export(db, scope) {
    const { household, people, pickups, quotients, changes } = await householdExportRows(db, scope.householdId);
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
      quotients: quotients.map((q) => ({ value_eur: q.value_eur, reference_month: q.reference_month, source: labelOf(QUOTIENT_SOURCES, q.source), reason: q.reason, valid_until: q.valid_until, created_at: q.created_at })),
      pending_changes: changes.map((c) => ({ kind: labelOf(PENDING_KIND_LABELS, c.kind), summary: c.summary, status: labelOf(PENDING_STATUS_LABELS, c.status), reason: c.reason, submitted_at: c.submitted_at, decided_at: c.decided_at })),
    };
  },

  anonymise: (tx, scope, now) => anonymiseHousehold(tx, scope, now.toISOString()),
};
