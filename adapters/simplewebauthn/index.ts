/** `auth-service/adapters/simplewebauthn`: the WebAuthn ceremonies (passkeys) with @simplewebauthn/server. */
export { SimpleWebAuthnWebAuthn, type RelyingParty } from './simplewebauthn-web-authn.js';
