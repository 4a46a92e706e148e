import { EmailNotVerified, InactiveUser, InvalidPasskeyLogIn, type SessionOrigin, type User } from '../../domain/index.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { SessionTokens } from '../core/issue-tokens.js';
import type { OpenSession } from '../core/open-session.js';
import type { PasskeyProof } from './passkey-proof.js';
import type { CredentialResponse } from './web-authn.js';

/** What a log-in answers, as `LogIn` does. */
export interface PasskeyLogInResult {
  readonly user: User;
  readonly tokens: SessionTokens;
}

export interface LogInWithPasskeyInput {
  readonly challengeId: string;
  readonly response: CredentialResponse;
  readonly origin: SessionOrigin;
}

/**
 * A complete log-in with a passkey, two-factor log-in on or not: possession of the key plus user verification are
 * two factors already (NIST SP 800-63B §5.1.8), so no code step follows. The session's `amr` says so.
 */
export class LogInWithPasskey {
  constructor(
    private readonly proof: PasskeyProof,
    private readonly users: UserRepository,
    private readonly openSession: OpenSession,
    private readonly audit: AuditTrail,
    /** REQUIRE_VERIFIED_EMAIL: as for a password log-in. */
    private readonly options: { readonly requireVerifiedEmail: boolean } = { requireVerifiedEmail: false },
  ) {}

  /** Throws `InvalidPasskeyLogIn`, `InactiveUser`, `EmailNotVerified` or `PasskeysUnavailable`. */
  async execute(input: LogInWithPasskeyInput): Promise<PasskeyLogInResult> {
    const { passkey, amr } = await this.proof.verify(input.challengeId, input.response, input.origin);
    const user = await this.users.findById(passkey.userId);
    if (!user) throw new InvalidPasskeyLogIn();
    // Only the key's holder learns that the account is inactive, as with a password.
    if (!user.isActive || (this.options.requireVerifiedEmail && !user.isVerified)) {
      const reason = user.isActive ? 'email_not_verified' : 'inactive';
      await this.audit.record('login.failed', { userId: user.id, actorId: null, origin: input.origin, details: { username: user.username.value, reason, method: 'passkey' } });
      throw user.isActive ? new EmailNotVerified() : new InactiveUser();
    }
    const tokens = await this.openSession.execute(user, input.origin, amr);
    await this.audit.record('login.succeeded', { userId: user.id, origin: input.origin, details: { amr: [...amr], method: 'passkey' } });
    return { user, tokens };
  }
}
