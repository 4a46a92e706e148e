import { randomBytes } from 'node:crypto';
import type { AuditEventType } from '../../domain/index.js';

/** `["*"]`: every event type, the ones added later included. */
export const ALL_EVENTS = '*';

export type WebhookEventFilter = typeof ALL_EVENTS | AuditEventType;

/** How long a rotated-out secret keeps signing alongside its successor, so receivers can switch without a gap. */
export const PREVIOUS_SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** An endpoint that failed without one success for this long is disabled (a `webhook.disabled` event says so). */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 60 * 60 * 1000;

/**
 * A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes (the specification's format, which its
 * reference libraries accept as is). Shown to the superuser once; stored sealed, never hashed: the service signs
 * with it.
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface WebhookEndpointProps {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEventFilter[];
  readonly description: string;
  readonly enabled: boolean;
  /** The signing secret, sealed with the `SecretBox` (DATA_ENCRYPTION_KEY). */
  readonly sealedSecret: string;
  /** The secret before the last rotation, sealed, signing alongside until `previousSecretExpiresAt`. */
  readonly sealedPreviousSecret: string | undefined;
  readonly previousSecretExpiresAt: Date | undefined;
  /** The first failed attempt since the last delivered one; undefined while the endpoint answers. */
  readonly failingSince: Date | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A receiver of events, managed by superusers. The rules of what it receives and with which secrets live here. */
export class WebhookEndpoint implements WebhookEndpointProps {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEventFilter[];
  readonly description: string;
  readonly enabled: boolean;
  readonly sealedSecret: string;
  readonly sealedPreviousSecret: string | undefined;
  readonly previousSecretExpiresAt: Date | undefined;
  readonly failingSince: Date | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;

  constructor(props: WebhookEndpointProps) {
    this.id = props.id;
    this.url = props.url;
    this.events = Object.freeze([...props.events]);
    this.description = props.description;
    this.enabled = props.enabled;
    this.sealedSecret = props.sealedSecret;
    this.sealedPreviousSecret = props.sealedPreviousSecret;
    this.previousSecretExpiresAt = props.previousSecretExpiresAt;
    this.failingSince = props.failingSince;
    this.createdAt = props.createdAt;
    this.updatedAt = props.updatedAt;
  }

  subscribesTo(type: AuditEventType): boolean {
    return this.enabled && (this.events.includes(ALL_EVENTS) || this.events.includes(type));
  }

  /** The sealed secrets to sign with at `now`: the current one, and the previous one during its overlap. */
  signingSecrets(now: Date): string[] {
    const previous = this.sealedPreviousSecret !== undefined && this.previousSecretExpiresAt !== undefined && now < this.previousSecretExpiresAt;
    return previous ? [this.sealedSecret, this.sealedPreviousSecret!] : [this.sealedSecret];
  }

  with(changes: Partial<Omit<WebhookEndpointProps, 'id' | 'createdAt'>>): WebhookEndpoint {
    return new WebhookEndpoint({ ...this, ...changes });
  }

  /** A new secret; the current one keeps signing alongside for `PREVIOUS_SECRET_OVERLAP_MS`. */
  rotated(sealedSecret: string, now: Date): WebhookEndpoint {
    return this.with({
      sealedSecret,
      sealedPreviousSecret: this.sealedSecret,
      previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_OVERLAP_MS),
      updatedAt: now,
    });
  }

  /** Re-enabling starts a clean record: the old failure streak would disable it again at the next failure. */
  changed(changes: { url?: string; events?: readonly WebhookEventFilter[]; description?: string; enabled?: boolean }, now: Date): WebhookEndpoint {
    const reenabled = changes.enabled === true && !this.enabled;
    return this.with({ ...definedOnly(changes), ...(reenabled ? { failingSince: undefined } : {}), updatedAt: now });
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What a delivery attempt did to the endpoint's record. */
export type EndpointHealth =
  | { readonly kind: 'answering' }
  | { readonly kind: 'failing'; readonly since: Date }
  /** Failing for `DISABLE_AFTER_FAILING_MS`: turned off by this attempt. */
  | { readonly kind: 'disabled'; readonly since: Date };

/** The endpoint after an attempt at `now` that succeeded or not: the five-day rule. */
export function afterAttempt(endpoint: WebhookEndpoint, succeeded: boolean, now: Date): { endpoint: WebhookEndpoint; health: EndpointHealth } {
  if (succeeded) return { endpoint: endpoint.failingSince === undefined ? endpoint : endpoint.with({ failingSince: undefined }), health: { kind: 'answering' } };
  const since = endpoint.failingSince ?? now;
  if (endpoint.enabled && now.getTime() - since.getTime() >= DISABLE_AFTER_FAILING_MS) {
    return { endpoint: endpoint.with({ failingSince: since, enabled: false, updatedAt: now }), health: { kind: 'disabled', since } };
  }
  return { endpoint: endpoint.failingSince === undefined ? endpoint.with({ failingSince: since }) : endpoint, health: { kind: 'failing', since } };
}
