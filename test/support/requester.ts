import { PASSWORD_AND_OTP, PASSWORD_ONLY, Session, type User } from '../../domain/index.js';
import type { Requester } from '../../application/index.js';

const DAY = 86_400_000;
let counter = 0;

function sessionId(): string {
  counter += 1;
  return `00000000-0000-7000-8000-${counter.toString(16).padStart(12, '0')}`;
}

/** A requester whose session proved both factors at `now`: every sensitive action lets it through. */
export function fresh(user: User, now: Date = new Date()): Requester {
  return { user, session: Session.open({ id: sessionId(), user, now, lifetimeMs: DAY, origin: {}, amr: PASSWORD_AND_OTP }) };
}

/** A requester whose session proved the password alone, `ageMs` before `now` (a stolen token of an old log-in). */
export function stale(user: User, now: Date = new Date(), ageMs = 3_600_000): Requester {
  const opened = new Date(now.getTime() - ageMs);
  return { user, session: Session.open({ id: sessionId(), user, now: opened, lifetimeMs: DAY, origin: {}, amr: PASSWORD_ONLY }) };
}
