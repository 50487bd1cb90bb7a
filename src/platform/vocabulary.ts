/**
 * The closed sets of words the services speak in (kinds of service, states of an enrolment, of a
 * booking, of attendance). Pure types: domain rules use them without depending on the database
 * schema, which stores exactly these values (platform/db/schema-services.ts re-exports them).
 */

export type ServiceKind = 'canteen' | 'morning' | 'evening' | 'wednesday' | 'holiday';
export type EnrolmentStatus = 'submitted' | 'in_review' | 'accepted' | 'refused' | 'waiting_list';
/** requested: collected before a draw; closed: cancelled by a closure of the day (never billed). */
export type BookingStatus = 'booked' | 'waiting' | 'requested' | 'cancelled' | 'closed';
export type Attendance = 'present' | 'absent_justified' | 'absent_unjustified' | 'present_unbooked';
