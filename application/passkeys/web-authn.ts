import { PasskeysUnavailable, type PasskeyDeviceType } from '../../domain/index.js';

/**
 * The JSON shapes WebAuthn Level 3 defines for browsers (`PublicKeyCredentialCreationOptionsJSON`,
 * `RegistrationResponseJSON`, ...). Opaque here: the adapter and the browser read them, the use cases pass them on.
 */
export type WebAuthnJson = Readonly<Record<string, unknown>>;

/** A credential response as a client sends it: the adapter checks everything beyond its id. */
export interface CredentialResponse extends WebAuthnJson {
  readonly id: string;
}

export interface RegistrationOptionsRequest {
  readonly challenge: string;
  readonly user: { readonly id: string; readonly name: string; readonly displayName: string };
  /** The user's passkeys, so an authenticator that holds one already says so instead of making a second. */
  readonly exclude: readonly { readonly credentialId: string; readonly transports: readonly string[] }[];
}

export interface VerifiedRegistration {
  readonly credentialId: string;
  readonly publicKey: Uint8Array;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly deviceType: PasskeyDeviceType;
  readonly backedUp: boolean;
}

export interface AuthenticationVerificationRequest {
  readonly response: CredentialResponse;
  readonly challenge: string;
  readonly credential: { readonly credentialId: string; readonly publicKey: Uint8Array; readonly transports: readonly string[] };
}

export interface VerifiedAuthentication {
  readonly newCounter: number;
  readonly backedUp: boolean;
  /** The user handle the authenticator returned, when it returned one. */
  readonly userHandle: string | undefined;
}

/**
 * The WebAuthn ceremonies (registration and authentication, WebAuthn §7), with the relying party's id and origins
 * configured in the adapter. Verification requires user verification and checks challenge, origin and RP id;
 * it does not judge the signature counter: `Passkey.use` does, in the store's atomic step.
 */
export interface WebAuthn {
  registrationOptions(request: RegistrationOptionsRequest): Promise<WebAuthnJson>;
  /** Undefined when the response does not verify. */
  verifyRegistration(response: CredentialResponse, challenge: string): Promise<VerifiedRegistration | undefined>;
  authenticationOptions(challenge: string): Promise<WebAuthnJson>;
  /** Undefined when the assertion does not verify. */
  verifyAuthentication(request: AuthenticationVerificationRequest): Promise<VerifiedAuthentication | undefined>;
}

/** Passkeys turned off (PUBLIC_URL names an IP address, which WebAuthn refuses): every ceremony says so. */
export class UnavailableWebAuthn implements WebAuthn {
  registrationOptions(): Promise<WebAuthnJson> {
    return Promise.reject(new PasskeysUnavailable());
  }
  verifyRegistration(): Promise<VerifiedRegistration | undefined> {
    return Promise.reject(new PasskeysUnavailable());
  }
  authenticationOptions(): Promise<WebAuthnJson> {
    return Promise.reject(new PasskeysUnavailable());
  }
  verifyAuthentication(): Promise<VerifiedAuthentication | undefined> {
    return Promise.reject(new PasskeysUnavailable());
  }
}

/** The challenge a response answers, from its `clientDataJSON` (WebAuthn §5.8.1); undefined when unreadable. */
export function challengeOf(response: CredentialResponse): string | undefined {
  const inner = response['response'];
  if (typeof inner !== 'object' || inner === null) return undefined;
  const clientDataJSON = (inner as Record<string, unknown>)['clientDataJSON'];
  if (typeof clientDataJSON !== 'string') return undefined;
  try {
    const clientData: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' ? challenge : undefined;
  } catch {
    // Not JSON: no challenge, so the registration is refused as any other unverifiable one.
    return undefined;
  }
}
