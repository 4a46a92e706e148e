import { z } from 'zod';

// The WebAuthn JSON shapes shared by the passkey routes and POST /auth/reauthenticate (a passkey proof).
// Bounds only limit what a request can make us parse; the library verifies every value.
export const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+={0,2}$/, { error: 'must be base64url' });
// WebAuthn §5.1: a credential id is at most 1023 bytes, 1364 characters in base64url.
export const credentialId = base64url(1364).meta({ description: 'The credential id (base64url), as the authenticator names it' });
export const clientExtensionResults = z
  .object({ credProps: z.object({ rk: z.boolean().optional() }).optional() })
  .meta({ description: 'Extension outputs the browser reported (WebAuthn §9); only credProps is read' });
export const authenticatorAttachment = z.enum(['platform', 'cross-platform']).optional();

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
      // Room for post-quantum signatures: ML-DSA-87 signs in 4,627 bytes (6,170 characters); Node 24 offers ML-DSA and Chromium picks it.
      signature: base64url(8192),
      // The user handle is at most 64 bytes (WebAuthn §5.4.3).
      userHandle: base64url(128).optional(),
    }),
  })
  .meta({ id: 'AuthenticationResponseJSON', description: 'What `navigator.credentials.get()` gave, as JSON' });

export const PasskeyLogInRequest = z
  .object({
    challenge_id: base64url(128).meta({ description: 'The `challenge_id` of POST /auth/passkey/options' }),
    response: AuthenticationResponse,
  })
  .meta({ id: 'PasskeyLogInRequest' });

