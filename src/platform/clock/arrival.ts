/**
 * Arrival stamps: when this process received a request, in microseconds since 1970, strictly
 * increasing. Taken in the first `onRequest` hook (web.ts), before any database work, so that
 * whatever a request waits for afterwards (a pooled connection, a row lock, a retry) its stamp
 * keeps the order requests came in. Consecutive stamps are at least `ARRIVAL_STEP` apart: a request
 * may use stamp + 0..ARRIVAL_STEP-1 for several things it orders (siblings on one waiting list).
 */
export const ARRIVAL_STEP = 16;
let last = 0;

export function arrivalStamp(): number {
  const t = Math.round((performance.timeOrigin + performance.now()) * 1000);
  last = t >= last + ARRIVAL_STEP ? t : last + ARRIVAL_STEP;
  return last;
}
