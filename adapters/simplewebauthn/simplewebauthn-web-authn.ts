import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type {
  AuthenticationVerificationRequest,
  CredentialResponse,
  RegistrationOptionsRequest,
  VerifiedAuthentication,
  VerifiedRegistration,
  WebAuthn,
  WebAuthnJson,
} from '../../application/passkeys/web-authn.js';

export interface RelyingParty {
  /** WebAuthn §5.1.2 RP ID: a host name (never an IP address), the one passkeys are bound to. */
  readonly id: string;
  /** Shown by the authenticator beside the account. */
  readonly name: string;
  /** Every origin a ceremony may come from (`https://auth.example.com`, `http://localhost:8000`). */
  readonly origins: readonly string[];
}

const TIMEOUT_MS = 5 * 60_000;

/** The WebAuthn ceremonies with @simplewebauthn/server: discoverable credentials, user verification required. */
export class SimpleWebAuthnWebAuthn implements WebAuthn {
  constructor(private readonly rp: RelyingParty) {}

  async registrationOptions(request: RegistrationOptionsRequest): Promise<WebAuthnJson> {
    return asJson(
      await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      // The user handle: the account id, no personal data (WebAuthn §14.6.1). A log-in checks it names the key's owner.
      userID: new TextEncoder().encode(request.user.id),
      userName: request.user.name,
      userDisplayName: request.user.displayName,
      // Raw bytes, so the options carry exactly the challenge stored (a string would be encoded again).
      challenge: Buffer.from(request.challenge, 'base64url'),
      timeout: TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: request.exclude.map((c) => ({ id: c.credentialId, transports: [...c.transports] as AuthenticatorTransport[] })),
      // Discoverable credentials only (a log-in names no account), and the authenticator must verify the user.
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    }),
    );
  }

  async verifyRegistration(response: CredentialResponse, challenge: string): Promise<VerifiedRegistration | undefined> {
    let result;
    try {
      result = await verifyRegistrationResponse({
        response: response as unknown as RegistrationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: [...this.rp.origins],
        expectedRPID: this.rp.id,
        requireUserVerification: true,
      });
    } catch (error) {
      // The library throws for every malformed or unverifiable response: to the client it is one invalid passkey.
      if (error instanceof Error) return undefined;
      throw error;
    }
    if (!result.verified) return undefined;
    const info = result.registrationInfo;
    return {
      credentialId: info.credential.id,
      publicKey: Uint8Array.from(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    };
  }

  async authenticationOptions(challenge: string): Promise<WebAuthnJson> {
    return asJson(
      await generateAuthenticationOptions({
      rpID: this.rp.id,
      challenge: Buffer.from(challenge, 'base64url'),
      timeout: TIMEOUT_MS,
      // No allowCredentials: the authenticator offers its discoverable credentials, and the answer names no account.
      userVerification: 'required',
    }),
    );
  }

  async verifyAuthentication(request: AuthenticationVerificationRequest): Promise<VerifiedAuthentication | undefined> {
    const response = request.response as unknown as AuthenticationResponseJSON;
    let result;
    try {
      result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: request.challenge,
        expectedOrigin: [...this.rp.origins],
        expectedRPID: this.rp.id,
        // Counter 0: the library then leaves the counter alone, and `Passkey.use` judges it in the store's atomic
        // step, where a regression is also recorded.
        credential: { id: request.credential.credentialId, publicKey: Uint8Array.from(request.credential.publicKey), counter: 0 },
        requireUserVerification: true,
      });
    } catch (error) {
      // Malformed, wrong signature, wrong origin or challenge: the library throws; to the client it is one invalid log-in.
      if (error instanceof Error) return undefined;
      throw error;
    }
    if (!result.verified) return undefined;
    const userHandle = response.response?.userHandle;
    return {
      newCounter: result.authenticationInfo.newCounter,
      backedUp: result.authenticationInfo.credentialBackedUp,
      userHandle: typeof userHandle === 'string' && userHandle !== '' ? Buffer.from(userHandle, 'base64url').toString('utf8') : undefined,
    };
  }
}

/** The library's option types are interfaces; to the application they are opaque JSON objects. */
function asJson(options: object): WebAuthnJson {
  return options as WebAuthnJson;
}
