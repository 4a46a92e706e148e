import { z } from 'zod';
import { AUDIT_EVENT_TYPES } from '../../../domain/index.js';

const EventFilter = z.enum(['*', ...AUDIT_EVENT_TYPES]).meta({ description: 'An audit event type, or `*` for every type' });

const url = z
  .url({ protocol: /^https?$/, error: 'Must be an http or https URL' })
  .max(2048)
  .meta({ description: 'Where events are POSTed. Loopback, private, link-local and other special-purpose addresses (and names resolving to them) are refused', examples: ['https://hooks.example.com/auth'] });

export const CreateWebhookRequest = z
  .object({
    url,
    events: z.array(EventFilter).min(1).max(64),
    description: z.string().max(500).optional(),
  })
  .meta({ id: 'CreateWebhookRequest' });

export const UpdateWebhookRequest = z
  .object({
    url: url.optional(),
    events: z.array(EventFilter).min(1).max(64).optional(),
    description: z.string().max(500).optional(),
    enabled: z.boolean().optional().meta({ description: 'true re-enables an endpoint disabled after five days of failures' }),
  })
  .meta({ id: 'UpdateWebhookRequest' });

export const WebhookParams = z.object({ id: z.uuid().max(36).meta({ description: 'The webhook endpoint id' }) });

export const WebhookResponse = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(EventFilter),
    description: z.string(),
    enabled: z.boolean(),
    failing_since: z.iso.datetime().nullable().meta({ description: 'The first failed attempt since the last delivered one' }),
    previous_secret_expires_at: z.iso.datetime().nullable().meta({ description: 'Until then the secret before the last rotation signs alongside' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Webhook' });

export const WebhookWithSecretResponse = WebhookResponse.extend({
  secret: z.string().meta({ description: 'whsec_ and base64 of 32 random bytes: shown this once; verify deliveries with it', examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }),
}).meta({ id: 'WebhookWithSecret' });

export const WebhookListResponse = z.array(WebhookResponse).meta({ id: 'WebhookList' });

export const WebhookTestResponse = z.object({ delivery_id: z.uuid().meta({ description: 'The `webhook-id` the test delivery carries' }) }).meta({ id: 'WebhookTest' });

export const WebhookDeliveryResponse = z
  .object({
    id: z.uuid().meta({ description: 'The `webhook-id` of every attempt' }),
    event_id: z.uuid(),
    type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int().meta({ format: 'int32' }),
    last_response_code: z.number().int().min(0).max(999).meta({ format: 'int32' }).nullable().meta({ description: 'null when no answer came (timeout, refused connection, refused target)' }),
    last_error: z.string().nullable(),
    next_attempt_at: z.iso.datetime().nullable().meta({ description: 'null once delivered or failed' }),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDelivery' });

export const WebhookDeliveryPageResponse = z
  .object({ items: z.array(WebhookDeliveryResponse), next_cursor: z.string().optional().meta({ description: 'Pass as `cursor` for the next page; absent on the last page' }) })
  .meta({ id: 'WebhookDeliveryPage' });
