import type { Clock } from '../../shared/domain/clock.js';

/** The instant the unit fixtures start their clocks at. */
export const T0 = new Date('2026-03-01T10:00:00.000Z');

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(private current: Date = T0) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
}
