import type { AuditEventType, AuditDetails, Email, OneTimeTokenPurpose, SessionOrigin, User, UserId } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { MailKind, MailParams } from '../ports/mail-outbox.js';
import type { TransactionalStores } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { MailQueue } from '../core/mail-queue.js';

/**
 * One kind of second factor, as `CredentialsChanged` removes it when an account is recovered or an administrator
 * resets its factors. TOTP (with its recovery codes) registers one; passkeys register theirs in the same list.
 */
export interface SecondFactorRemover {
  /** Names the kind in the audit trail (`mfa.removed`): `totp`, later `passkey`. */
  readonly kind: string;
  /** Removes every factor of this kind the user has; false when there was none. */
  removeAll(userId: UserId): Promise<boolean>;
  /** Lifts a lock from wrong codes (a password reset from a mailed link does). */
  unlock?(userId: UserId): Promise<void>;
}

export interface CredentialChange {
  /** Every session of the account ends (bearer and refresh tokens alike): not for an email change. */
  readonly endSessions: boolean;
  /** Mailed links that die with the change. */
  readonly voidLinks: readonly OneTimeTokenPurpose[];
  /** The notice to the owner, if any. */
  readonly notice?: { readonly kind: MailKind; readonly to?: Email; readonly params?: MailParams };
  /** The event that records the change, if any. */
  readonly event?: {
    readonly type: AuditEventType;
    readonly actorId?: UserId | null;
    readonly origin?: SessionOrigin | undefined;
    readonly details?: AuditDetails;
  };
}

/**
 * What follows a change of credentials, said once for the password change, reset, revert, deactivation and the
 * administrator's changes: every session ends, mailed links die, the owner is told, the history records it. Pending
 * `mfa_token`s die with the token version the change moves (see `MfaChallenge.tokenVersion`), or with the account
 * going inactive or losing its factor, both checked by the second step.
 */
export class CredentialsChanged {
  constructor(
    private readonly mail: MailQueue,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly removers: readonly SecondFactorRemover[] = [],
  ) {}

  /** Inside the change's unit of work, so the change and its consequences commit together. */
  async within(stores: TransactionalStores, user: User, change: CredentialChange): Promise<void> {
    const now = this.clock.now();
    if (change.endSessions) await stores.sessions.revokeAll(user.id, now);
    if (change.voidLinks.length > 0) await stores.oneTimeTokens.voidAll(user.id, change.voidLinks, now);
    if (change.notice) await this.mail.queueNotice(stores, change.notice.kind, user, change.notice.to ?? user.email, change.notice.params);
    if (change.event) {
      const { type, actorId, origin, details } = change.event;
      await this.audit.recordIn(stores.audit, type, { userId: user.id, actorId, origin, details });
    }
  }

  /**
   * Removes every second factor of every registered kind, each recorded as `mfa.removed`. Outside any unit of work:
   * the factor stores are not members of `TransactionalStores`; callers run it before the change that consumes
   * their link, so a failure leaves the link usable for a second try. Returns the kinds removed.
   */
  async removeSecondFactors(user: User, subject: { readonly actorId?: UserId | null; readonly origin?: SessionOrigin; readonly reason: string }): Promise<string[]> {
    const removed: string[] = [];
    for (const remover of this.removers) {
      if (await remover.removeAll(user.id)) {
        removed.push(remover.kind);
        await this.audit.record('mfa.removed', { userId: user.id, actorId: subject.actorId, origin: subject.origin, details: { kind: remover.kind, reason: subject.reason } });
      }
    }
    return removed;
  }

  /** A password reset from a mailed link proves the mailbox: the lock from wrong codes is lifted. */
  async unlockSecondFactors(userId: UserId): Promise<void> {
    for (const remover of this.removers) await remover.unlock?.(userId);
  }
}

/** TOTP, with its recovery codes, as a second factor `CredentialsChanged` can remove and unlock. */
export function totpRemover(factors: { remove(userId: UserId): Promise<boolean>; clearFailedAttempts(userId: UserId): Promise<void> }): SecondFactorRemover {
  return { kind: 'totp', removeAll: (userId) => factors.remove(userId), unlock: (userId) => factors.clearFailedAttempts(userId) };
}
