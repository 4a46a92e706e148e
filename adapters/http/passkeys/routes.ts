import type { Passkey } from '../../../domain/index.js';
import { requestOrigin } from '../request-origin.js';
import { defineApiRoute } from '../routes/api-dependencies.js';
import { counted, tokenAnswer, tokenReply } from '../token-reply.js';
import {
  AddPasskeyRequest,
  CreationOptionsResponse,
  PasskeyIdParams,
  PasskeyListResponse,
  PasskeyLogInRequest,
  PasskeyResponse,
  RenamePasskeyRequest,
  RequestOptionsResponse,
} from './schemas.js';

const JSON_TYPE = 'application/json';
const FRESH = 'Needs a fresh authentication (RFC 9470): a session whose last log-in or reauthentication is at most 5 minutes old.';

export function presentPasskey(passkey: Passkey): PasskeyResponse {
  return {
    id: passkey.credentialId,
    name: passkey.name,
    created_at: passkey.createdAt.toISOString(),
    last_used_at: passkey.lastUsedAt?.toISOString() ?? null,
    device_type: passkey.deviceType,
    backed_up: passkey.backedUp,
  };
}

/** Passkeys (WebAuthn): adding and managing the current user's, and logging in with one. */
export const passkeyRoutes = [
  defineApiRoute({
    method: 'post',
    path: '/users/me/passkeys/options',
    operationId: 'passkeyRegistrationOptions',
    tag: 'passkeys',
    summary: 'Options for adding a passkey',
    description: `A discoverable credential with user verification required; the user's passkeys are excluded. The challenge is single use and lives 5 minutes. ${FRESH}`,
    bearer: true,
    rateLimited: true,
    noStore: true,
    responses: { 200: { description: 'For navigator.credentials.create()', content: { [JSON_TYPE]: CreationOptionsResponse } } },
    errors: ['insufficient_user_authentication', 'passkeys_unavailable'],
    handle: async ({ auth }, { passkeys }) => ({ status: 200, body: await passkeys.registrationOptions.execute(auth) }),
  }),

  defineApiRoute({
    method: 'post',
    path: '/users/me/passkeys',
    operationId: 'addPasskey',
    tag: 'passkeys',
    summary: 'Add a passkey',
    description: `The registration response for the options of POST /users/me/passkeys/options. The owner is mailed a notice. ${FRESH}`,
    bearer: true,
    rateLimited: true,
    noStore: true,
    body: { schema: AddPasskeyRequest, mediaTypes: [JSON_TYPE] },
    responses: { 201: { description: 'The new passkey', content: { [JSON_TYPE]: PasskeyResponse } } },
    errors: ['invalid_passkey', 'insufficient_user_authentication', 'passkeys_unavailable'],
    handle: async ({ body, auth, ctx }, { passkeys }) => {
      const passkey = await passkeys.add.execute(auth, { response: body.response, name: body.name, origin: requestOrigin(ctx) });
      return { status: 201, body: presentPasskey(passkey) };
    },
  }),

  defineApiRoute({
    method: 'get',
    path: '/users/me/passkeys',
    operationId: 'listPasskeys',
    tag: 'passkeys',
    summary: "The current user's passkeys, oldest first",
    bearer: true,
    rateLimited: true,
    noStore: true,
    responses: { 200: { description: 'The passkeys', content: { [JSON_TYPE]: PasskeyListResponse } } },
    handle: async ({ auth }, { passkeys }) => ({ status: 200, body: (await passkeys.list.execute(auth.user.id)).map(presentPasskey) }),
  }),

  defineApiRoute({
    method: 'patch',
    path: '/users/me/passkeys/{id}',
    operationId: 'renamePasskey',
    tag: 'passkeys',
    summary: 'Rename a passkey',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: PasskeyIdParams,
    body: { schema: RenamePasskeyRequest, mediaTypes: [JSON_TYPE] },
    responses: { 200: { description: 'The renamed passkey', content: { [JSON_TYPE]: PasskeyResponse } } },
    errors: ['passkey_not_found'],
    handle: async ({ params, body, auth }, { passkeys }) => ({ status: 200, body: presentPasskey(await passkeys.rename.execute(auth.user.id, params.id, body.name)) }),
  }),

  defineApiRoute({
    method: 'delete',
    path: '/users/me/passkeys/{id}',
    operationId: 'removePasskey',
    tag: 'passkeys',
    summary: 'Remove a passkey',
    description: `It can no longer log in. The owner is mailed a notice. ${FRESH}`,
    bearer: true,
    rateLimited: true,
    params: PasskeyIdParams,
    responses: { 204: { description: 'The passkey is removed' } },
    errors: ['passkey_not_found', 'insufficient_user_authentication'],
    handle: async ({ params, auth, ctx }, { passkeys }) => {
      await passkeys.remove.execute(auth, params.id, requestOrigin(ctx));
      return { status: 204 };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/auth/passkey/options',
    operationId: 'passkeyLogInOptions',
    tag: 'auth',
    summary: 'Options for logging in with a passkey',
    description:
      'Names no account (discoverable credentials): the answer is the same for everyone. The challenge is single use and lives 5 minutes; send `challenge_id` back with the assertion. Also serves POST /auth/reauthenticate.',
    bearer: false,
    rateLimited: true,
    noStore: true,
    responses: { 200: { description: 'For navigator.credentials.get()', content: { [JSON_TYPE]: RequestOptionsResponse } } },
    errors: ['passkeys_unavailable'],
    handle: async (_request, { passkeys }) => {
      const { options, challengeId } = await passkeys.logInOptions.execute();
      return { status: 200, body: { ...options, challenge_id: challengeId } };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/auth/passkey/login',
    operationId: 'logInWithPasskey',
    tag: 'auth',
    summary: 'Log in with a passkey',
    description:
      'A complete log-in, also for an account with two-factor log-in on (no code step): `amr` is `["hwk","user","mfa"]`, or `["swk","user","mfa"]` for a backed-up (synced) passkey. Every failure, a replayed assertion or a reused challenge included, is one `400 invalid_grant`; a signature counter that went backwards is also recorded.',
    bearer: false,
    rateLimited: true,
    noStore: true,
    body: { schema: PasskeyLogInRequest, mediaTypes: [JSON_TYPE] },
    responses: { 200: tokenAnswer },
    errors: ['invalid_passkey_login', 'inactive_user', 'email_not_verified', 'passkeys_unavailable'],
    handle: async ({ body, ctx }, { passkeys, metrics }) => {
      const { tokens } = await counted(metrics, passkeys.logIn.execute({ challengeId: body.challenge_id, response: body.response, origin: requestOrigin(ctx) }));
      return tokenReply(tokens);
    },
  }),
];
