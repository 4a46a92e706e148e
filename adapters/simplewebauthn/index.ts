export { SimpleWebAuthnWebAuthn, type RelyingParty } from './simplewebauthn-web-authn.js';
