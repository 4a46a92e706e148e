/** Standard Webhooks signatures (`webhook-signature`), per its specification's reference implementation. */
export interface WebhookSigner {
  /** `v1,<base64>` for each secret (`whsec_...`), space-separated, over `id.timestamp.payload`. */
  sign(messageId: string, timestamp: Date, payload: string, secrets: readonly string[]): string;
}
