/** An address a URL's host resolved to and that passed the rule, to connect to without resolving again. */
export interface CheckedTarget {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * The server-side request forgery rule: a target may be reached only when its host, literal or every address it
 * resolves to, lies outside the IANA special-purpose ranges. Throws `ForbiddenWebhookTarget`.
 */
export interface WebhookTargetGuard {
  check(url: string): Promise<CheckedTarget>;
}
