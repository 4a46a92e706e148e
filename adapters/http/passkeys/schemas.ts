import { z } from 'zod';
import { PASSKEY_NAME_MAX_LENGTH } from '../../../domain/index.js';
import { authenticatorAttachment, base64url, clientExtensionResults, credentialId, PasskeyLogInRequest } from '../web-authn-schemas.js';

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
      attestationObject: base64url(16384),
      authenticatorData: base64url(8192).optional(),
      transports: z.array(z.string().max(32)).max(10).optional(),
      publicKeyAlgorithm: z.int32().optional().meta({ format: 'int32' }),
      publicKey: base64url(8192).optional(),
    }),
  })
  .meta({ id: 'RegistrationResponseJSON', description: 'What `navigator.credentials.create()` gave, as JSON' });

const passkeyName = z.string().trim().min(1).max(PASSKEY_NAME_MAX_LENGTH).meta({ examples: ['Work laptop'] });

export const AddPasskeyRequest = z
  .object({
    response: RegistrationResponse,
    name: passkeyName.optional().meta({ description: 'Shown in the passkey list; a dated default when absent' }),
  })
  .meta({ id: 'AddPasskeyRequest' });

export const RenamePasskeyRequest = z.object({ name: passkeyName }).meta({ id: 'RenamePasskeyRequest' });

export { PasskeyLogInRequest };

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
