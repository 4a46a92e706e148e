import { accountRoutes } from '../adapters/http/account/routes.js';
import { adminRoutes } from '../adapters/http/administration/routes.js';
import { emailRoutes } from '../adapters/http/email/routes.js';
import { sessionRoutes } from '../adapters/http/sessions/routes.js';
import { mfaRoutes } from '../adapters/http/two-factor/routes.js';
import { anyDepth, defineFeature, type Feature } from './feature.js';
import { ACCOUNT_ROUTES, accountModule } from './modules/account-module.js';
import { ADMINISTRATION_ROUTES, administrationModule } from './modules/administration-module.js';
import { cryptoModule } from './modules/crypto-module.js';
import { EMAIL_ROUTES, emailModule } from './modules/email-module.js';
import { mailModule } from './modules/mail-module.js';
import { SESSION_ROUTES, sessionsModule } from './modules/sessions-module.js';
import { TWO_FACTOR_ROUTES, twoFactorModule } from './modules/two-factor-module.js';
import { TOKENS } from './tokens.js';

/**
 * Every feature of the service, one registration each. A new feature (passkeys) is one more entry here. The order
 * is the router's: `/users/me...` (account) is tried before `/users/{id}...` (administration).
 */
export const features: readonly Feature[] = [
  defineFeature({
    name: 'core',
    // Hashing, signing, sealing, and the mail queue every feature writes to.
    modules: [cryptoModule, mailModule],
    redact: [...anyDepth('authorization'), 'req.headers.authorization', 'req.headers.cookie', 'err.query', 'err.params', 'err.client'],
  }),
  defineFeature({
    name: 'account',
    modules: [accountModule],
    routes: { table: accountRoutes, dependencies: ACCOUNT_ROUTES },
    redact: [...anyDepth('password', 'current_password', 'passwordHash'), 'currentPassword', 'hashed_password'],
  }),
  defineFeature({
    name: 'sessions',
    modules: [sessionsModule],
    routes: { table: sessionRoutes, dependencies: SESSION_ROUTES },
    housekeeping: [TOKENS.PurgeEndedSessions],
    redact: anyDepth('access_token', 'refresh_token', 'accessToken', 'refreshToken', 'refreshTokenHash', 'newTokenHash'),
  }),
  defineFeature({
    name: 'email',
    modules: [emailModule],
    routes: { table: emailRoutes, dependencies: EMAIL_ROUTES },
    housekeeping: [TOKENS.PurgeEndedOneTimeTokens],
    // Mailed links carry the token; the store keeps its hash.
    redact: anyDepth('token', 'token_hash'),
  }),
  defineFeature({
    name: 'two-factor',
    modules: [twoFactorModule],
    routes: { table: mfaRoutes, dependencies: TWO_FACTOR_ROUTES },
    housekeeping: [TOKENS.PurgeExpiredMfaChallenges],
    // The TOTP secret (and the URI that carries it), recovery codes, the mfa_token.
    redact: anyDepth('secret', 'sealedSecret', 'otpauth_uri', 'otpauthUri', 'recovery_codes', 'recoveryCodes', 'mfa_token', 'mfaToken'),
  }),
  defineFeature({
    name: 'administration',
    modules: [administrationModule],
    routes: { table: adminRoutes, dependencies: ADMINISTRATION_ROUTES },
    housekeeping: [TOKENS.PurgeAuditEvents],
  }),
];

/** The `/api/v1` routes of every feature, in the list's order: what the router mounts and the document describes. */
export const featureRoutes = features.flatMap((feature) => feature.routes?.table ?? []);

/** What the logs blank, from every feature. */
export const featureRedactions = features.flatMap((feature) => feature.redact ?? []);
