import { z } from 'zod';
import { OAUTH_GRANT_TYPES, PROVIDER_SCOPES, TOKEN_ENDPOINT_AUTH_METHODS, type OAuthClient, type UserGrant } from '../../../application/provider/index.js';
import { requestOrigin } from '../request-origin.js';
import { routesFor } from '../routes/define-route.js';
import type { CreateOAuthClient, DeleteOAuthClient, GetOAuthClient, ListMyGrants, ListOAuthClients, RevokeMyGrant } from '../../../application/provider/index.js';

/** What the OpenID Provider's management routes use. */
export interface ProviderRouteDependencies {
  readonly createOAuthClient: CreateOAuthClient;
  readonly listOAuthClients: ListOAuthClients;
  readonly getOAuthClient: GetOAuthClient;
  readonly deleteOAuthClient: DeleteOAuthClient;
  readonly listMyGrants: ListMyGrants;
  readonly revokeMyGrant: RevokeMyGrant;
}

const defineApiRoute = routesFor<ProviderRouteDependencies>();

const JSON_TYPE = 'application/json';

const uri = z.string().min(1).max(2048);

export const CreateOAuthClientRequest = z
  .object({
    client_name: z.string().trim().min(1).max(200),
    redirect_uris: z.array(uri).max(20).default([]).meta({ description: 'Exact redirect URIs: https, or http on localhost/127.0.0.1/[::1], or a reverse-domain private-use scheme' }),
    post_logout_redirect_uris: z.array(uri).max(20).optional(),
    grant_types: z.array(z.enum(OAUTH_GRANT_TYPES)).min(1).max(3),
    token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).meta({ description: '`none` makes a public client (a browser or native app): PKCE is then required' }),
    scope: z
      .string()
      .max(200)
      .optional()
      .meta({ description: `Space-separated, among ${PROVIDER_SCOPES.join(' ')}; all of them when absent` }),
    first_party: z.boolean().optional().meta({ description: 'The operator\'s own application: people are not asked to consent' }),
  })
  .meta({ id: 'CreateOAuthClientRequest' });

export const OAuthClientResponse = z
  .object({
    client_id: z.string(),
    client_name: z.string(),
    redirect_uris: z.array(z.string()),
    post_logout_redirect_uris: z.array(z.string()),
    grant_types: z.array(z.enum(OAUTH_GRANT_TYPES)),
    token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS),
    scope: z.string(),
    first_party: z.boolean(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'OAuthClient' });

export const CreatedOAuthClientResponse = OAuthClientResponse.extend({
  client_secret: z.string().optional().meta({ description: 'Shown this once, for confidential clients; only its SHA-256 digest is kept' }),
}).meta({ id: 'CreatedOAuthClient' });

export const OAuthClientListResponse = z.array(OAuthClientResponse).meta({ id: 'OAuthClientList' });

export const GrantResponse = z
  .object({
    id: z.string(),
    client_id: z.string(),
    client_name: z.string().nullable().meta({ description: 'null when the client has been deleted since' }),
    scopes: z.array(z.string()),
    granted_at: z.iso.datetime(),
  })
  .meta({ id: 'Grant' });

export const GrantListResponse = z.array(GrantResponse).meta({ id: 'GrantList' });

const clientParams = z.object({ client_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).meta({ description: 'The client id' }) });
const grantParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).meta({ description: 'The grant id, from GET /users/me/grants' }) });

export function presentOAuthClient(client: OAuthClient): z.infer<typeof OAuthClientResponse> {
  return {
    client_id: client.clientId,
    client_name: client.clientName,
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris],
    grant_types: [...client.grantTypes],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scope: client.scope,
    first_party: client.firstParty,
    created_at: client.createdAt.toISOString(),
  };
}

function presentGrant(grant: UserGrant): z.infer<typeof GrantResponse> {
  return { id: grant.id, client_id: grant.clientId, client_name: grant.clientName ?? null, scopes: [...grant.scopes], granted_at: grant.grantedAt.toISOString() };
}

/**
 * The OpenID Provider's administration (`/oauth/clients`, superusers) and each user's authorised applications
 * (`/users/me/grants`). The protocol endpoints themselves are oidc-provider's, under `/oauth2/`.
 */
export const providerRoutes = [
  defineApiRoute({
    method: 'get',
    path: '/users/me/grants',
    operationId: 'listMyGrants',
    tag: 'oauth',
    summary: 'The applications the current user authorised',
    bearer: true,
    rateLimited: true,
    noStore: true,
    responses: { 200: { description: 'The grants, oldest first', content: { [JSON_TYPE]: GrantListResponse } } },
    handle: async ({ auth }, { listMyGrants }) => ({ status: 200, body: (await listMyGrants.execute(auth.user)).map(presentGrant) }),
  }),

  defineApiRoute({
    method: 'delete',
    path: '/users/me/grants/{id}',
    operationId: 'revokeMyGrant',
    tag: 'oauth',
    summary: 'Withdraw an application\'s access',
    description: 'The grant and every code, access token and refresh token issued under it end at once: introspection then answers `active: false`.',
    bearer: true,
    rateLimited: true,
    params: grantParams,
    responses: { 204: { description: 'The grant is revoked' } },
    errors: ['grant_not_found'],
    handle: async ({ params, auth, ctx }, { revokeMyGrant }) => {
      await revokeMyGrant.execute(auth.user, params.id, requestOrigin(ctx));
      return { status: 204 };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/oauth/clients',
    operationId: 'createOAuthClient',
    tag: 'oauth',
    summary: 'Register an OAuth 2.0 / OpenID Connect client',
    description: 'The answer holds the `client_secret` of a confidential client, once: only its SHA-256 digest is kept.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    body: { schema: CreateOAuthClientRequest, mediaTypes: [JSON_TYPE] },
    responses: { 201: { description: 'The client', content: { [JSON_TYPE]: CreatedOAuthClientResponse }, headers: ['Location'] } },
    errors: ['not_a_superuser', 'invalid_client_metadata', 'insufficient_user_authentication'],
    handle: async ({ body, auth, ctx }, { createOAuthClient }) => {
      const input = {
        clientName: body.client_name,
        redirectUris: body.redirect_uris,
        postLogoutRedirectUris: body.post_logout_redirect_uris,
        grantTypes: body.grant_types,
        tokenEndpointAuthMethod: body.token_endpoint_auth_method,
        scope: body.scope,
        firstParty: body.first_party,
      };
      const { client, clientSecret } = await createOAuthClient.execute(auth, input, requestOrigin(ctx));
      const location = `${ctx.path}/${encodeURIComponent(client.clientId)}`;
      return { status: 201, headers: { Location: location }, body: { ...presentOAuthClient(client), ...(clientSecret === undefined ? {} : { client_secret: clientSecret }) } };
    },
  }),

  defineApiRoute({
    method: 'get',
    path: '/oauth/clients',
    operationId: 'listOAuthClients',
    tag: 'oauth',
    summary: 'Every registered client, oldest first',
    bearer: true,
    rateLimited: true,
    noStore: true,
    responses: { 200: { description: 'The clients (never their secrets)', content: { [JSON_TYPE]: OAuthClientListResponse } } },
    errors: ['not_a_superuser'],
    handle: async ({ auth }, { listOAuthClients }) => ({ status: 200, body: (await listOAuthClients.execute(auth.user)).map(presentOAuthClient) }),
  }),

  defineApiRoute({
    method: 'get',
    path: '/oauth/clients/{client_id}',
    operationId: 'getOAuthClient',
    tag: 'oauth',
    summary: 'One client',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: clientParams,
    responses: { 200: { description: 'The client (never its secret)', content: { [JSON_TYPE]: OAuthClientResponse } } },
    errors: ['not_a_superuser', 'oauth_client_not_found'],
    handle: async ({ params, auth }, { getOAuthClient }) => ({ status: 200, body: presentOAuthClient(await getOAuthClient.execute(auth.user, params.client_id)) }),
  }),

  defineApiRoute({
    method: 'delete',
    path: '/oauth/clients/{client_id}',
    operationId: 'deleteOAuthClient',
    tag: 'oauth',
    summary: 'Remove a client',
    description: 'Its tokens are refused from then on (introspection answers `active: false`).',
    bearer: true,
    rateLimited: true,
    params: clientParams,
    responses: { 204: { description: 'The client is gone' } },
    errors: ['not_a_superuser', 'oauth_client_not_found', 'insufficient_user_authentication'],
    handle: async ({ params, auth, ctx }, { deleteOAuthClient }) => {
      await deleteOAuthClient.execute(auth, params.client_id, requestOrigin(ctx));
      return { status: 204 };
    },
  }),
];
