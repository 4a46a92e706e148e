import { Webhook } from 'standardwebhooks';
import type { WebhookSigner } from '../../application/webhooks/webhook-signer.js';

/**
 * Signs with the Standard Webhooks reference library, so what it makes is what every reference verifier checks:
 * `v1,` + base64(HMAC-SHA256(secret, `${id}.${timestamp}.${payload}`)). With two secrets (a rotation's overlap)
 * both signatures go out, space-separated, as the specification allows; a receiver holding either accepts.
 */
export class StandardWebhooksSigner implements WebhookSigner {
  sign(messageId: string, timestamp: Date, payload: string, secrets: readonly string[]): string {
    if (secrets.length === 0) throw new Error('no secret to sign with');
    return secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, payload)).join(' ');
  }
}
