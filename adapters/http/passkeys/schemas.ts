import { z } from 'zod';
import { PASSKEY_NAME_MAX_LENGTH } from '../../../domain/index.js';

// Bounds only limit what a request can make us parse; the library verifies every value.
const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+={0,2}$/, { error: 'must be base64url' });
// WebAuthn §5.1: a credential id is at most 1023 bytes, 1364 characters in base64url.
const credentialId = base64url(1364).meta({ description: 'The credential id (base64url), as the authenticator names it' });
const clientExtensionResults = z
  .object({ credProps: z.object({ rk: z.boolean().optional() }).optional() })
  .meta({ description: 'Extension outputs the browser reported (WebAuthn §9); only credProps is read' });
const authenticatorAttachment = z.enum(['platform', 'cross-platform']).optional();

/** `RegistrationResponseJSON` (WebAuthn Level 3 §5.1, `PublicKeyCredential.toJSON()`), as @simplewebauthn/browser sends it. */
export const RegistrationResponse = z
  .object({
    id: credentialId,
    rawId: credentialId,
    type: z.literal('public-key'),
    authenticatorAttachment,
    clientExtensionResults,
    response: z.object({
      clientDataJSON: base64url(4096),
      attestationObject: base64url(8192),
      authenticatorData: base64url(8192).optional(),
      transports: z.array(z.string().max(32)).max(10).optional(),
      publicKeyAlgorithm: z.int32().optional().meta({ format: 'int32' }),
      publicKey: base64url(4096).optional(),
    }),
  })
  .meta({ id: 'RegistrationResponseJSON', description: 'What `navigator.credentials.create()` gave, as JSON' });

/** `AuthenticationResponseJSON` (WebAuthn Level 3 §5.1). */
export const AuthenticationResponse = z
  .object({
    id: credentialId,
    rawId: credentialId,
    type: z.literal('public-key'),
    authenticatorAttachment,
    clientExtensionResults,
    response: z.object({
      clientDataJSON: base64url(4096),
      authenticatorData: base64url(8192),
      signature: base64url(2048),
      // The user handle is at most 64 bytes (WebAuthn §5.4.3).
      userHandle: base64url(128).optional(),
    }),
  })
  .meta({ id: 'AuthenticationResponseJSON', description: 'What `navigator.credentials.get()` gave, as JSON' });

const passkeyName = z.string().trim().min(1).max(PASSKEY_NAME_MAX_LENGTH).meta({ examples: ['Work laptop'] });

export const AddPasskeyRequest = z
  .object({
    response: RegistrationResponse,
    name: passkeyName.optional().meta({ description: 'Shown in the passkey list; a dated default when absent' }),
  })
  .meta({ id: 'AddPasskeyRequest' });

export const RenamePasskeyRequest = z.object({ name: passkeyName }).meta({ id: 'RenamePasskeyRequest' });

export const PasskeyLogInRequest = z
  .object({
    challenge_id: base64url(128).meta({ description: 'The `challenge_id` of POST /auth/passkey/options' }),
    response: AuthenticationResponse,
  })
  .meta({ id: 'PasskeyLogInRequest' });

export const PasskeyIdParams = z.object({ id: credentialId.meta({ description: 'The passkey id, from GET /users/me/passkeys' }) });

export const PasskeyResponse = z
  .object({
    id: z.string().meta({ description: 'The credential id (base64url): the id the browser reports as `credential.id`' }),
    name: z.string(),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime().nullable(),
    device_type: z.enum(['singleDevice', 'multiDevice']).meta({ description: 'multiDevice: a synced passkey (WebAuthn §6.1.3)' }),
    backed_up: z.boolean(),
  })
  .meta({ id: 'Passkey' });
export type PasskeyResponse = z.infer<typeof PasskeyResponse>;

export const PasskeyListResponse = z.array(PasskeyResponse).meta({ id: 'PasskeyList' });

export const CreationOptionsResponse = z
  .looseObject({
    challenge: z.string(),
    rp: z.looseObject({ id: z.string().optional(), name: z.string() }),
    user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
    pubKeyCredParams: z.array(z.looseObject({ type: z.string(), alg: z.number() })),
  })
  .meta({
    id: 'PublicKeyCredentialCreationOptionsJSON',
    description: 'For `navigator.credentials.create()` (WebAuthn Level 3 §5.4), e.g. through @simplewebauthn/browser `startRegistration`',
  });

export const RequestOptionsResponse = z
  .looseObject({
    challenge: z.string(),
    rpId: z.string().optional(),
    userVerification: z.string().optional(),
    challenge_id: z.string().meta({ description: 'Send it back with the assertion' }),
  })
  .meta({
    id: 'PasskeyRequestOptions',
    description: '`PublicKeyCredentialRequestOptionsJSON` for `navigator.credentials.get()` (WebAuthn Level 3 §5.5), plus `challenge_id`',
  });
