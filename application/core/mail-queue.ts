import { newOneTimeToken, newTimeOrderedId, type Email, type OneTimeTokenPurpose, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { MailKind, MailParams, MailRequestKind } from '../ports/mail-outbox.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { TransactionalStores } from '../ports/unit-of-work.js';

export interface MailPolicy {
  /** VERIFY_TOKEN_EXPIRE_HOURS: verification and email-change confirmation links. */
  readonly verifyTokenTtlMs: number;
  /** RESET_TOKEN_EXPIRE_MINUTES. */
  readonly resetTokenTtlMs: number;
  /** How long the old address may undo an email change (7 days, as the contract says). */
  readonly revertTokenTtlMs: number;
  /** How long a notice without a link is worth retrying. */
  readonly noticeDeadlineMs: number;
}

export const DEFAULT_MAIL_POLICY: MailPolicy = {
  verifyTokenTtlMs: 24 * 3_600_000,
  resetTokenTtlMs: 30 * 60_000,
  revertTokenTtlMs: 7 * 86_400_000,
  noticeDeadlineMs: 24 * 3_600_000,
};

export interface LinkMail {
  readonly kind: MailKind;
  readonly purpose: OneTimeTokenPurpose;
  readonly user: User;
  /** Where the mail goes, and the address the token is bound to. */
  readonly to: Email;
  readonly params?: MailParams;
}

/**
 * Puts mail in the outbox, inside the caller's unit of work. A link's token is made here, stored as a hash, and
 * travels to the worker sealed; it exists in clear only in this call and at rendering.
 */
export class MailQueue {
  constructor(
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly policy: MailPolicy = DEFAULT_MAIL_POLICY,
  ) {}

  async queueLink(stores: TransactionalStores, mail: LinkMail): Promise<void> {
    const now = this.clock.now();
    const ttlMs = this.#lifetime(mail.purpose);
    const expiresAt = new Date(now.getTime() + ttlMs);
    const { token, record } = newOneTimeToken({ purpose: mail.purpose, userId: mail.user.id, email: mail.to, createdAt: now, expiresAt });
    await stores.oneTimeTokens.add(record);
    await stores.outbox.enqueue({
      id: newTimeOrderedId(now),
      kind: mail.kind,
      to: mail.to.value,
      params: { username: mail.user.username.value, valid_for: describeDuration(ttlMs), ...mail.params },
      sealedToken: this.box.seal(token),
      userId: mail.user.id,
      createdAt: now,
      // A link that has expired is not worth delivering: that is when the worker gives up.
      deadline: expiresAt,
    });
  }

  /**
   * Stores a request for a link as it came (see `MAIL_REQUEST_KINDS`): one insert, the same for any address, and
   * no look-up. The request worker resolves it within `noticeDeadlineMs`.
   */
  async queueRequest(stores: TransactionalStores, kind: MailRequestKind, address: Email, client: string | undefined): Promise<void> {
    const now = this.clock.now();
    await stores.outbox.enqueue({
      id: newTimeOrderedId(now),
      kind,
      to: address.value,
      // Erased when the request is resolved, like a sent mail's parameters.
      params: client === undefined ? {} : { client },
      sealedToken: undefined,
      userId: undefined,
      createdAt: now,
      deadline: new Date(now.getTime() + this.policy.noticeDeadlineMs),
    });
  }

  async queueNotice(stores: TransactionalStores, kind: MailKind, user: User, to: Email = user.email, params: MailParams = {}): Promise<void> {
    const now = this.clock.now();
    await stores.outbox.enqueue({
      id: newTimeOrderedId(now),
      kind,
      to: to.value,
      params: { username: user.username.value, ...params },
      sealedToken: undefined,
      userId: user.id,
      createdAt: now,
      deadline: new Date(now.getTime() + this.policy.noticeDeadlineMs),
    });
  }

  #lifetime(purpose: OneTimeTokenPurpose): number {
    switch (purpose) {
      case 'verify_email':
      case 'confirm_email_change':
        return this.policy.verifyTokenTtlMs;
      case 'reset_password':
        return this.policy.resetTokenTtlMs;
      case 'revert_email':
        return this.policy.revertTokenTtlMs;
    }
  }
}

/** "30 minutes", "24 hours", "7 days": for the mail's "this link is valid for" line. */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const [amount, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
