import type { User } from '../../domain/index.js';
import type { ExportSection } from '../ports/export-section.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';

/** The user's open sessions with where they began; never a refresh token or its hash. */
export class SessionsExport implements ExportSection {
  readonly name = 'sessions';

  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  async collect(user: User): Promise<unknown> {
    const open = await this.sessions.listOpen(user.id, this.clock.now());
    return open.map((session) => ({
      id: session.id,
      created_at: session.createdAt.toISOString(),
      last_used_at: session.lastUsedAt.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      ip: session.ip ?? null,
      user_agent: session.userAgent ?? null,
      amr: [...session.amr],
    }));
  }
}
