import { DomainError } from '../../domain/index.js';

export class WebhookNotFound extends DomainError {
  readonly code = 'webhook_not_found';
  constructor() {
    super('No webhook endpoint with this id');
  }
}

/**
 * The URL names, or resolves to, an address in an IANA special-purpose range (loopback, private, link-local, cloud
 * metadata, ...): the service would be made to call into its own network (server-side request forgery).
 */
export class ForbiddenWebhookTarget extends DomainError {
  readonly code = 'forbidden_webhook_target';
  constructor(message = 'The URL must name a public host: loopback, private, link-local and other special-purpose addresses are refused') {
    super(message, 'url');
  }
}
