import { todayIn } from '../calendar/calendar.domain.ts';

/**
 * Time is injected so deadlines, expiries and sessions can be tested at any instant.
 * `today()` is the day in Europe/Paris: never take a day from `now().toISOString()`, which is
 * the UTC day (yesterday between midnight and 2 a.m. in Paris).
 */
export interface Clock {
  now(): Date;
  today(): string;
}

export const systemClock: Clock = { now: () => new Date(), today: () => todayIn(new Date()) };

/** A clock tests move by hand. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  today(): string {
    return todayIn(this.current);
  }
  set(instant: Date | string): void {
    this.current = new Date(instant);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const iso = (d: Date): string => d.toISOString();
export const addMs = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
