import { PageQuery } from '../administration/schemas.js';
import { presentPage } from '../user-presenter.js';
import { requestOrigin } from '../request-origin.js';
import { defineApiRoute } from '../routes/api-dependencies.js';
import { presentDelivery, presentWebhook } from './presenter.js';
import {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookDeliveryPageResponse,
  WebhookListResponse,
  WebhookParams,
  WebhookResponse,
  WebhookTestResponse,
  WebhookWithSecretResponse,
} from './schemas.js';

const JSON_TYPE = 'application/json';

/**
 * Webhook endpoints, superusers only (`not_a_superuser` is the use case's rule). Creating, changing, rotating and
 * deleting need fresh authentication. The secret is in the answers of creation and rotation, and nowhere else.
 */
export const webhookRoutes = [
  defineApiRoute({
    method: 'post',
    path: '/webhooks',
    operationId: 'createWebhook',
    tag: 'webhooks',
    summary: 'Register an endpoint for events',
    description:
      'Events are the audit trail\'s types (`["*"]`: all). Each is POSTed as `{type, timestamp, data}`, signed per Standard Webhooks with the `secret` answered here once. A URL naming or resolving to a loopback, private, link-local or other special-purpose address is refused (422) unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    body: { schema: CreateWebhookRequest, mediaTypes: [JSON_TYPE] },
    responses: { 201: { description: 'Registered; the secret is shown this once', content: { [JSON_TYPE]: WebhookWithSecretResponse } } },
    errors: ['not_a_superuser', 'insufficient_user_authentication', 'forbidden_webhook_target'],
    handle: async ({ body, auth, ctx }, { manageWebhooks }) => {
      const { endpoint, secret } = await manageWebhooks.create(auth, body, requestOrigin(ctx));
      return { status: 201, body: { ...presentWebhook(endpoint), secret } };
    },
  }),

  defineApiRoute({
    method: 'get',
    path: '/webhooks',
    operationId: 'listWebhooks',
    tag: 'webhooks',
    summary: 'Every endpoint, oldest first',
    bearer: true,
    rateLimited: true,
    noStore: true,
    responses: { 200: { description: 'The endpoints (no secrets)', content: { [JSON_TYPE]: WebhookListResponse } } },
    errors: ['not_a_superuser'],
    handle: async ({ auth }, { manageWebhooks }) => ({ status: 200, body: (await manageWebhooks.list(auth.user)).map(presentWebhook) }),
  }),

  defineApiRoute({
    method: 'get',
    path: '/webhooks/{id}',
    operationId: 'getWebhook',
    tag: 'webhooks',
    summary: 'One endpoint',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: WebhookParams,
    responses: { 200: { description: 'The endpoint (no secret)', content: { [JSON_TYPE]: WebhookResponse } } },
    errors: ['not_a_superuser', 'webhook_not_found'],
    handle: async ({ params, auth }, { manageWebhooks }) => ({ status: 200, body: presentWebhook(await manageWebhooks.get(auth.user, params.id)) }),
  }),

  defineApiRoute({
    method: 'patch',
    path: '/webhooks/{id}',
    operationId: 'updateWebhook',
    tag: 'webhooks',
    summary: 'Change an endpoint',
    description: '`enabled: true` re-enables an endpoint disabled after five days of failures, with a clean record.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: WebhookParams,
    body: { schema: UpdateWebhookRequest, mediaTypes: [JSON_TYPE] },
    responses: { 200: { description: 'The endpoint', content: { [JSON_TYPE]: WebhookResponse } } },
    errors: ['not_a_superuser', 'insufficient_user_authentication', 'webhook_not_found', 'forbidden_webhook_target'],
    handle: async ({ params, body, auth, ctx }, { manageWebhooks }) => ({
      status: 200,
      body: presentWebhook(await manageWebhooks.change(auth, params.id, body, requestOrigin(ctx))),
    }),
  }),

  defineApiRoute({
    method: 'delete',
    path: '/webhooks/{id}',
    operationId: 'deleteWebhook',
    tag: 'webhooks',
    summary: 'Delete an endpoint',
    description: 'Its deliveries, waiting or done, go with it.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: WebhookParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['not_a_superuser', 'insufficient_user_authentication', 'webhook_not_found'],
    handle: async ({ params, auth, ctx }, { manageWebhooks }) => {
      await manageWebhooks.remove(auth, params.id, requestOrigin(ctx));
      return { status: 204 };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/webhooks/{id}/rotate-secret',
    operationId: 'rotateWebhookSecret',
    tag: 'webhooks',
    summary: 'A new secret for an endpoint',
    description: 'Shown this once. For 24 hours every delivery carries two signatures (space-separated in `webhook-signature`): one with the new secret, one with the old, so the receiver can switch without a gap.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: WebhookParams,
    responses: { 200: { description: 'The endpoint and its new secret', content: { [JSON_TYPE]: WebhookWithSecretResponse } } },
    errors: ['not_a_superuser', 'insufficient_user_authentication', 'webhook_not_found'],
    handle: async ({ params, auth, ctx }, { manageWebhooks }) => {
      const { endpoint, secret } = await manageWebhooks.rotateSecret(auth, params.id, requestOrigin(ctx));
      return { status: 200, body: { ...presentWebhook(endpoint), secret } };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/webhooks/{id}/test',
    operationId: 'testWebhook',
    tag: 'webhooks',
    summary: 'Send a test event',
    description: 'Queues a `webhook.test` event for this endpoint alone, whatever its `events`; delivered, signed and retried like any other.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: WebhookParams,
    responses: { 202: { description: 'Queued', content: { [JSON_TYPE]: WebhookTestResponse } } },
    errors: ['not_a_superuser', 'webhook_not_found'],
    handle: async ({ params, auth }, { manageWebhooks }) => ({ status: 202, body: { delivery_id: await manageWebhooks.sendTest(auth.user, params.id) } }),
  }),

  defineApiRoute({
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    tag: 'webhooks',
    summary: "An endpoint's deliveries, newest first",
    description: 'Keyset pages: pass `next_cursor` back as `cursor` until it is absent.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: WebhookParams,
    query: PageQuery,
    responses: { 200: { description: 'One page of deliveries', content: { [JSON_TYPE]: WebhookDeliveryPageResponse } } },
    errors: ['not_a_superuser', 'webhook_not_found', 'invalid_cursor'],
    handle: async ({ params, query, auth }, { manageWebhooks }) => {
      const page = await manageWebhooks.listDeliveries(auth.user, params.id, { limit: query.limit, cursor: query.cursor });
      return { status: 200, body: presentPage(page, presentDelivery) };
    },
  }),
];
