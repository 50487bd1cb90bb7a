import type { Instant } from './schema.ts';

/** Tables of the catalogue, requests, enrolments, bookings and attendance (migration 004). */

import type { Attendance, BookingStatus, EnrolmentStatus, ServiceKind } from '../vocabulary.ts';

export type { Attendance, BookingStatus, EnrolmentStatus, ServiceKind };

export interface FacilitiesTable {
  id: string;
  name: string;
  kind: 'school' | 'leisure_centre';
  address: string;
  created_at: Instant;
}

export interface GroupsTable {
  id: string;
  facility_id: string;
  name: string;
  class_levels: string;
}

export interface AgentGroupsTable {
  user_id: string;
  group_id: string;
}

export interface ServicesTable {
  id: string;
  facility_id: string;
  kind: ServiceKind;
  name: string;
  weekdays: string;
  class_levels: string;
  min_age: number | null;
  max_age: number | null;
  booking_rule: string;
  cancellation_rule: string;
  active: number;
  created_at: Instant;
  /** The régie that invoices it (migration 013; the town's first régie by default, so optional on insert). */
  regie_id?: string;
}

export interface UnitsTable {
  id: string;
  service_id: string;
  label: string;
  is_meal: number;
  position: number;
  /** Units of one service with the same group exclude each other on a day; null: combines with any. */
  exclusion_group: number | null;
}

export interface CapacitiesTable {
  id: string;
  unit_id: string;
  group_id: string;
  places: number | null;
}

export interface SchoolYearsTable {
  id: string;
  label: string;
  start_date: string;
  end_date: string;
}

export interface PeriodsTable {
  id: string;
  school_year_id: string;
  kind: 'school' | 'holiday';
  label: string;
  start_date: string;
  end_date: string;
  booking_opens_at: Instant | null;
  allocation: 'fcfs' | 'draw';
  requests_close_at: Instant | null;
  allocated_at: Instant | null;
  /** Draw periods: `day` draws each day separately; `request` gives a child's days of one week together or not at all. */
  draw_mode: 'day' | 'request';
}

export interface ClosuresTable {
  id: string;
  day: string;
  facility_id: string | null;
  service_id: string | null;
  reason: string;
  created_by: string | null;
  created_at: Instant;
}

export interface RequestsTable {
  id: string;
  reference: string;
  type: string;
  household_id: string;
  subject_person_id: string | null;
  status: string;
  summary: string;
  created_at: Instant;
  updated_at: Instant;
  /** While « complément demandé »: the day the family is asked to answer by (migration 019). */
  due_date: string | null;
  /** When the reminder before that day went (once per complement). */
  reminded_at: Instant | null;
}

export interface RequestEventsTable {
  id: string;
  request_id: string;
  at: Instant;
  actor_id: string | null;
  actor_label: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
}

export interface RequestMessagesTable {
  id: string;
  request_id: string;
  at: Instant;
  author_id: string | null;
  author_label: string;
  from_family: number;
  body: string;
}

export interface EnrolmentsTable {
  id: string;
  request_id: string;
  child_person_id: string;
  service_id: string;
  school_year_id: string;
  group_id: string | null;
  status: EnrolmentStatus;
  created_at: Instant;
}

export interface SlotsTable {
  id: string;
  unit_id: string;
  group_id: string;
  day: string;
  capacity: number | null;
  taken: number;
  /** Last waiting rank given on this slot (ranks order each slot's waiting list). */
  waiting_seq: number;
  /** Children on its waiting list now (kept with every move on or off the list). */
  waiting: number;
  /** 1 once the town closed the day for this slot's service. */
  closed: number;
}

export interface BookingsTable {
  id: string;
  child_person_id: string;
  household_id: string;
  service_id: string;
  unit_id: string;
  slot_id: string;
  day: string;
  status: BookingStatus;
  waiting_rank: number | null; // order on its slot's waiting list: the request's arrival, µs since 1970 (earlier rows: small sequence numbers)
  override: number;
  attendance: Attendance | null;
  attendance_at: Instant | null;
  attendance_by: string | null;
  absence_declared_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface NoticesTable {
  id: string;
  household_id: string;
  at: Instant;
  text: string;
  read_at: Instant | null;
}

export interface CalendarFeedsTable {
  household_id: string;
  version: number;
}

export interface ServiceTables {
  facilities: FacilitiesTable;
  groups: GroupsTable;
  agent_groups: AgentGroupsTable;
  services: ServicesTable;
  units: UnitsTable;
  capacities: CapacitiesTable;
  school_years: SchoolYearsTable;
  periods: PeriodsTable;
  closures: ClosuresTable;
  requests: RequestsTable;
  request_events: RequestEventsTable;
  request_messages: RequestMessagesTable;
  enrolments: EnrolmentsTable;
  slots: SlotsTable;
  bookings: BookingsTable;
  notices: NoticesTable;
  calendar_feeds: CalendarFeedsTable;
}
