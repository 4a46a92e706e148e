import { InvalidToken, type SessionOrigin } from '../../domain/index.js';
import type { Reauthentication, ReauthenticationProof, Requester } from '../core/reauthentication.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { AuditTrail } from '../core/audit-trail.js';

/**
 * `POST /auth/reauthenticate`: the user proves the credentials again and the current session is fresh from now
 * (its `auth_time`, and its `amr` for what was proven), so the sensitive actions of the next
 * `REAUTH_MAX_AGE_SECONDS` need nothing more.
 */
export class Reauthenticate {
  constructor(
    private readonly reauthentication: Reauthentication,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws what `Reauthentication.verify` throws, or `InvalidToken` when the session ended meanwhile. */
  async execute(requester: Requester, proof: ReauthenticationProof, origin: SessionOrigin = {}): Promise<void> {
    const amr = await this.reauthentication.verify(requester.user, proof, origin);
    const now = this.clock.now();
    if (!(await this.sessions.recordAuthentication(requester.user.id, requester.session.id, now, amr))) throw new InvalidToken();
    await this.audit.record('user.reauthenticated', { userId: requester.user.id, origin, details: { amr: [...amr], session_id: requester.session.id } });
  }
}
