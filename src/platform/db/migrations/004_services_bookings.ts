import type { Kysely } from 'kysely';

/**
 * Catalogue (facilities, groups, services, units, calendar), requests and enrolments, bookings and attendance.
 * Places are counted in `slots` (one row per service unit × group × day) and taken with a conditional UPDATE.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('facilities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // school | leisure_centre
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('class_levels', 'text', (c) => c.notNull().defaultTo('')) // comma list; empty = any
    .execute();
  await db.schema.createIndex('groups_facility').on('groups').column('facility_id').execute();

  await db.schema
    .createTable('agent_groups')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addPrimaryKeyConstraint('agent_groups_pk', ['user_id', 'group_id'])
    .execute();

  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // canteen | morning | evening | wednesday | holiday
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('weekdays', 'text', (c) => c.notNull()) // ISO weekdays "1,2,4,5"
    .addColumn('class_levels', 'text', (c) => c.notNull().defaultTo('')) // eligible levels; empty = any
    .addColumn('min_age', 'integer')
    .addColumn('max_age', 'integer')
    .addColumn('booking_rule', 'text', (c) => c.notNull()) // JSON DeadlineRule
    .addColumn('cancellation_rule', 'text', (c) => c.notNull()) // JSON DeadlineRule
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('is_meal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('units_service').on('units').column('service_id').execute();

  // Default capacity per unit × group; no row (or null places) = unlimited (the canteen, often).
  await db.schema
    .createTable('capacities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('places', 'integer')
    .addUniqueConstraint('capacities_unit_group', ['unit_id', 'group_id'])
    .execute();

  await db.schema
    .createTable('school_years')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull().unique())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('periods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_year_id', 'text', (c) => c.notNull().references('school_years.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // school | holiday
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('booking_opens_at', 'text') // instant; null = open with the enrolment
    .addColumn('allocation', 'text', (c) => c.notNull().defaultTo('fcfs')) // fcfs | draw
    .addColumn('requests_close_at', 'text') // draw: requests collected until then
    .addColumn('allocated_at', 'text')
    .execute();
  await db.schema.createIndex('periods_year').on('periods').columns(['school_year_id', 'start_date']).execute();

  await db.schema
    .createTable('closures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('facility_id', 'text') // null = every facility
    .addColumn('service_id', 'text') // null = every service of the facility
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('closures_day').on('closures').column('day').execute();

  // The general request model (enrolment now; changes of situation, QF, absences later).
  await db.schema
    .createTable('requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('subject_person_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('requests_household').on('requests').columns(['household_id', 'created_at']).execute();
  await db.schema.createIndex('requests_queue').on('requests').columns(['type', 'status', 'created_at']).execute();

  await db.schema
    .createTable('request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('request_events_request').on('request_events').columns(['request_id', 'at']).execute();

  await db.schema
    .createTable('request_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('from_family', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_messages_request').on('request_messages').columns(['request_id', 'at']).execute();

  await db.schema
    .createTable('enrolments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    .addColumn('child_person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('school_year_id', 'text', (c) => c.notNull().references('school_years.id'))
    .addColumn('group_id', 'text', (c) => c.references('groups.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // submitted | in_review | accepted | refused | waiting_list
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('enrolments_child_service_year', ['child_person_id', 'service_id', 'school_year_id'])
    .execute();
  await db.schema.createIndex('enrolments_service').on('enrolments').columns(['service_id', 'status']).execute();

  await db.schema
    .createTable('slots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer') // null = unlimited
    .addColumn('taken', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('slots_unit_group_day', ['unit_id', 'group_id', 'day'])
    .execute();

  // One row per child × unit × day, whatever its history: no duplicate booking can exist.
  await db.schema
    .createTable('bookings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('child_person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('slot_id', 'text', (c) => c.notNull().references('slots.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // booked | waiting | requested | cancelled | closed
    .addColumn('waiting_rank', 'integer') // arrival order on the waiting list (global counter)
    .addColumn('override', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attendance', 'text') // present | absent_justified | absent_unjustified | present_unbooked
    .addColumn('attendance_at', 'text')
    .addColumn('attendance_by', 'text')
    .addColumn('absence_declared_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('bookings_child_unit_day', ['child_person_id', 'unit_id', 'day'])
    .execute();
  await db.schema.createIndex('bookings_slot_status').on('bookings').columns(['slot_id', 'status', 'waiting_rank']).execute();
  await db.schema.createIndex('bookings_household_day').on('bookings').columns(['household_id', 'day']).execute();
  await db.schema.createIndex('bookings_day_unit').on('bookings').columns(['day', 'unit_id']).execute();

  // Portal notices (the family's inbox for automatic messages: promotion, closure…).
  await db.schema
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notices_household').on('notices').columns(['household_id', 'at']).execute();

  await db.schema
    .createTable('calendar_feeds')
    .addColumn('household_id', 'text', (c) => c.primaryKey().references('households.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['calendar_feeds', 'notices', 'bookings', 'slots', 'enrolments', 'request_messages', 'request_events', 'requests', 'closures', 'periods', 'school_years', 'capacities', 'units', 'services', 'agent_groups', 'groups', 'facilities']) {
    await db.schema.dropTable(t).execute();
  }
}
