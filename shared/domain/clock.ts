/** The time source, passed in so tests and `npm run notify -- --now` can set it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
