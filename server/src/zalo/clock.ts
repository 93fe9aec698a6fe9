/** Injected time source (ARCHITECTURE §2: clock and randomness are injected). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
