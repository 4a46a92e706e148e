import type { Clock } from '../../application/ports/clock.js';

/** A clock tests move by hand: no test sleeps to let time pass. */
export class FakeClock implements Clock {
  #now: number;

  constructor(start: Date | string = '2026-11-24T10:00:00.000Z') {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
