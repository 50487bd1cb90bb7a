import { outcomes } from '../../platform/result.ts';

/** Why attendance cannot be recorded for a day; the wording is shown on the day's list. */
export const ATTENDANCE_REFUSALS = outcomes({
  ahead: 'Ce jour n\'est pas encore arrivé : la liste montre les enfants attendus, la présence se pointe le jour même.',
  not_today: 'La présence se pointe le jour même. Pour corriger un jour passé, adressez-vous au service enfance.',
  locked: 'Ce jour est clos : le délai de correction des pointages fixé par la commune est passé.',
  billed: 'Ce jour est déjà facturé : le pointage ne change plus. Pour une correction, la régie émet un avoir.',
});
export type AttendanceRefusal = keyof typeof ATTENDANCE_REFUSALS;

/** What adding a child who came without booking did. */
export const WALK_IN_RESULTS = outcomes({
  present: 'L\'enfant avait une réservation : il est pointé présent.',
  present_unbooked: 'L\'enfant est ajouté, présent sans réservation.',
});
export type WalkInResult = keyof typeof WALK_IN_RESULTS;

/** What one tap on the day's list did, as the list's script is told (JSON): the state saved, or why not. */
export type MarkAnswer =
  | { ok: true; outcome: 'marked'; state: string; label: string; tone: 'green' | 'red'; counts: { expected: number; present: number; absent: number; done: number }; countText: string }
  | { ok: false; outcome: AttendanceRefusal; message: string };
