import type { Kysely } from 'kysely';

/**
 * Persons, households and memberships are kept apart: a child can belong to two households
 * (separated parents) and a guardian's login (users) is linked to a person, not merged with it.
 * Health data lives in its own table, read through one audited path.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Gap-free counters (household references now, invoice numbers later), incremented atomically.
  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('households')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('external_ref', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address_line1', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('address_line2', 'text')
    .addColumn('postcode', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('city', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('payer_person_id', 'text')
    .addColumn('search', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('archived_at', 'text')
    .addColumn('anonymised_at', 'text')
    .addColumn('merged_into_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('households_search').on('households').column('search').execute();

  await db.schema
    .createTable('persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // adult | child
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text')
    .addColumn('sex', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('user_id', 'text', (c) => c.unique().references('users.id'))
    .addColumn('search', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('persons_search').on('persons').column('search').execute();

  await db.schema
    .createTable('household_members')
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('role', 'text', (c) => c.notNull()) // guardian | child
    .addColumn('relationship', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('household_members_pk', ['household_id', 'person_id'])
    .execute();
  await db.schema.createIndex('household_members_person').on('household_members').column('person_id').execute();

  await db.schema
    .createTable('children')
    .addColumn('person_id', 'text', (c) => c.primaryKey().references('persons.id'))
    .addColumn('school', 'text')
    .addColumn('class_level', 'text')
    .addColumn('diet', 'text', (c) => c.notNull().defaultTo('standard'))
    .addColumn('photo_allowed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('may_leave_alone', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transport_allowed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('child_health')
    .addColumn('person_id', 'text', (c) => c.primaryKey().references('persons.id'))
    .addColumn('allergies', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('has_pai', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pai_description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('doctor_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('doctor_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pickup_persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('child_person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('may_pick_up', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('emergency_contact', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pickup_persons_child').on('pickup_persons').column('child_person_id').execute();

  await db.schema
    .createTable('quotients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('value_eur', 'integer', (c) => c.notNull())
    .addColumn('reference_month', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('quotients_household').on('quotients').columns(['household_id', 'created_at']).execute();

  await db.schema
    .createTable('pending_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('pending_changes_status').on('pending_changes').columns(['status', 'submitted_at']).execute();
  await db.schema.createIndex('pending_changes_household').on('pending_changes').column('household_id').execute();

  await db.schema
    .createTable('school_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // school | class_level
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('school_lists_kind_label', ['kind', 'label'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['counters', 'school_lists', 'pending_changes', 'quotients', 'pickup_persons', 'child_health', 'children', 'household_members', 'persons', 'households']) {
    await db.schema.dropTable(t).execute();
  }
}
