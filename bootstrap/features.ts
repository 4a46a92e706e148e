import { accountRoutes } from '../adapters/http/account/routes.js';
import { adminRoutes } from '../adapters/http/administration/routes.js';
import { emailRoutes } from '../adapters/http/email/routes.js';
import { sessionRoutes } from '../adapters/http/sessions/routes.js';
import { browserSessionRoutes } from '../adapters/http/browser-session/routes.js';
import { mfaRoutes } from '../adapters/http/two-factor/routes.js';
import { passkeyRoutes } from '../adapters/http/passkeys/routes.js';
import { webhookRoutes } from '../adapters/http/webhooks/routes.js';
import { exportRoutes } from '../adapters/http/account/export-routes.js';
import { anyDepth, defineFeature, type Feature } from './feature.js';
import { ACCOUNT_ROUTES, accountModule } from './modules/account-module.js';
import { ADMINISTRATION_ROUTES, AUDIT_EVENTS_PURGE, administrationModule } from './modules/administration-module.js';
import { cryptoModule } from './modules/crypto-module.js';
import { freshAuthenticationModule } from './modules/fresh-authentication-module.js';
import { EMAIL_ROUTES, ONE_TIME_TOKENS_PURGE, emailModule } from './modules/email-module.js';
import { mailModule, SETTLED_MAIL_PURGE } from './modules/mail-module.js';
import { pagesModule } from './modules/pages-module.js';
import { kyselyPasskeyStoreModule, memoryPasskeyStoreModule, PASSKEY_ROUTES, passkeysModule, WEBAUTHN_CHALLENGES_PURGE } from './modules/passkeys-module.js';
import { SESSION_ROUTES, SESSIONS_PURGE, sessionsModule } from './modules/sessions-module.js';
import { WEBHOOK_DELIVERIES_PURGE, WEBHOOK_ROUTES, webhooksModule } from './modules/webhooks-module.js';
import { MFA_CHALLENGES_PURGE, TWO_FACTOR_ROUTES, twoFactorModule } from './modules/two-factor-module.js';

/**
 * Every feature of the service, one registration each. A new feature (passkeys) is one more entry here. The order
 * is the router's: `/users/me...` (account) is tried before `/users/{id}...` (administration).
 */
export const features: readonly Feature[] = [
  defineFeature({
    name: 'core',
    // Hashing, signing, sealing; the shared step-up steps (Reauthentication, CredentialsChanged, Reauthenticate).
    modules: [cryptoModule, freshAuthenticationModule],
    redact: [...anyDepth('authorization'), 'req.headers.authorization', 'req.headers.cookie', 'err.query', 'err.params', 'err.client'],
  }),
  defineFeature({
    name: 'account',
    modules: [accountModule],
    routes: { table: [...accountRoutes, ...exportRoutes], dependencies: ACCOUNT_ROUTES },
    redact: [...anyDepth('password', 'current_password', 'passwordHash'), 'currentPassword', 'hashed_password'],
  }),
  defineFeature({
    name: 'sessions',
    modules: [sessionsModule],
    routes: { table: [...sessionRoutes, ...browserSessionRoutes], dependencies: SESSION_ROUTES },
    housekeeping: [SESSIONS_PURGE],
    redact: anyDepth('access_token', 'refresh_token', 'accessToken', 'refreshToken', 'refreshTokenHash', 'newTokenHash'),
  }),
  defineFeature({
    name: 'email',
    // The mail queue every feature writes to, the outbox worker, and the flows by mailed link.
    modules: [mailModule, emailModule],
    routes: { table: emailRoutes, dependencies: EMAIL_ROUTES },
    housekeeping: [ONE_TIME_TOKENS_PURGE, SETTLED_MAIL_PURGE],
    // Mailed links carry the token; the store keeps its hash.
    redact: anyDepth('token', 'token_hash'),
  }),
  defineFeature({
    name: 'two-factor',
    modules: [twoFactorModule],
    routes: { table: mfaRoutes, dependencies: TWO_FACTOR_ROUTES },
    housekeeping: [MFA_CHALLENGES_PURGE],
    // The TOTP secret (and the URI that carries it), recovery codes, the mfa_token.
    redact: anyDepth('secret', 'sealedSecret', 'otpauth_uri', 'otpauthUri', 'recovery_codes', 'recoveryCodes', 'mfa_token', 'mfaToken'),
  }),
  defineFeature({
    name: 'passkeys',
    modules: [passkeysModule],
    stores: { memory: memoryPasskeyStoreModule, kysely: kyselyPasskeyStoreModule },
    routes: { table: passkeyRoutes, dependencies: PASSKEY_ROUTES },
    housekeeping: [WEBAUTHN_CHALLENGES_PURGE],
  }),
  defineFeature({
    name: 'administration',
    modules: [administrationModule],
    routes: { table: adminRoutes, dependencies: ADMINISTRATION_ROUTES },
    housekeeping: [AUDIT_EVENTS_PURGE],
  }),
  defineFeature({
    name: 'webhooks',
    // Endpoints, their deliveries from the durable queue, the SSRF guard, Standard Webhooks signatures.
    modules: [webhooksModule],
    routes: { table: webhookRoutes, dependencies: WEBHOOK_ROUTES },
    housekeeping: [WEBHOOK_DELIVERIES_PURGE],
    redact: anyDepth('secret', 'whsec'),
  }),
  defineFeature({
    name: 'pages',
    // Browser sessions (the cookie, its CSRF rules) and the pages for people; the HTTP module mounts them.
    modules: [pagesModule],
  }),
];

/** The `/api/v1` routes of every feature, in the list's order: what the router mounts and the document describes. */
export const featureRoutes = features.flatMap((feature) => feature.routes?.table ?? []);

/** Every feature's purges, for the one housekeeping round. */
export const featureHousekeeping = features.flatMap((feature) => feature.housekeeping ?? []);

/** What the logs blank, from every feature. */
export const featureRedactions = features.flatMap((feature) => feature.redact ?? []);
