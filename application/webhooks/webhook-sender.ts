import type { CheckedTarget } from './webhook-target-guard.js';

export interface WebhookRequest {
  readonly target: CheckedTarget;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** What came back: a status (any, redirects included: they are not followed), or no answer at all. */
export type WebhookResponse = { readonly status: number } | { readonly status: null; readonly error: string };

/** POSTs one signed body to the address that was checked (no second name resolution), following no redirect. */
export interface WebhookSender {
  post(request: WebhookRequest): Promise<WebhookResponse>;
}
