import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { CONFIG_TABLE, PROCESS_ENVIRONMENT_ONLY } from '../bootstrap/config.js';
import { REPO_ROOT } from './repo-root.js';

// `.env.example` and docs/configuration.md are both rendered from the one table in bootstrap/config.ts: a
// variable added there shows up in both with `npm run config:docs`, and test/docs/configuration-doc.spec.ts
// fails while the committed files lag behind. The groups below only sort variables by feature; one that no
// group claims still appears, under "Other".

export const ENV_EXAMPLE_FILE = join(REPO_ROOT, '.env.example');
export const CONFIGURATION_PAGE = join(REPO_ROOT, 'docs/configuration.md');

interface Group {
  readonly title: string;
  readonly claims: RegExp;
  /** What the variables mean together: said here, once, for both files. */
  readonly notes?: string;
}

const GROUPS: readonly Group[] = [
  {
    title: 'Service',
    claims: /^(NODE_ENV|PORT|HOST|PUBLIC_URL|TRUST_PROXY|CORS_ORIGINS|LOG_LEVEL|BODY_LIMIT_BYTES|SHUTDOWN_.*)$/,
    notes:
      'TRUST_PROXY believes only the last X-Forwarded-For hop: set it only behind a proxy you run. After SIGTERM, readiness fails for SHUTDOWN_DELAY_MS while requests are still served (e.g. 5000 on Kubernetes, above the load balancer\'s probe interval); then in-flight requests get SHUTDOWN_TIMEOUT_MS to finish.',
  },
  {
    title: 'Database and data directory',
    claims: /^(DATABASE_.*|MIGRATE_ON_START|DATA_DIR)$/,
    notes:
      'Unset DATABASE_URL: the embedded PostgreSQL (PGlite) under DATA_DIR, one process per DATA_DIR. "memory": a throw-away store. Or postgres://user:pass@host:5432/db; the pool, statement and request timeouts apply to PostgreSQL only, and a request past DATABASE_TIMEOUT_MS on the database answers 503. `npm run migrate -- latest | down | status` migrates on demand. DATA_DIR also holds the development keys and the development mail outbox (outbox/).',
  },
  {
    title: 'Keys and tokens',
    claims: /^(SECRET_KEY.*|DATA_ENCRYPTION_KEY.*|ALGORITHM|PRIVATE_KEY_FILE|PUBLIC_KEY_FILE.*|ACCESS_TOKEN_.*|REFRESH_.*|JWT_.*)$/,
    notes:
      'With an HMAC ALGORITHM (HS256, HS384, HS512) tokens are signed with SECRET_KEY, at least 32 bytes (`openssl rand -base64 48`); with EdDSA, ES256 or RS256 with PRIVATE_KEY_FILE, a PEM PKCS#8 key (`openssl genpkey -algorithm ed25519 -out signing-key.pem`), and other services verify them through /.well-known/jwks.json. DATA_ENCRYPTION_KEY (32 random bytes in base64: `openssl rand -base64 32`) seals the secrets kept at rest: TOTP secrets and the links of mails not yet sent. Outside production, unset keys are generated once into DATA_DIR (secret-key, data-encryption-key); production refuses to start without them. To rotate a key, move the old value to SECRET_KEY_PREVIOUS, PUBLIC_KEY_FILE_PREVIOUS or DATA_ENCRYPTION_KEY_PREVIOUS; drop a previous signing key once ACCESS_TOKEN_EXPIRE_MINUTES have passed (see docs/operations.md).',
  },
  {
    title: 'Rate limits and Redis',
    claims: /^(REDIS_URL|RATE_LIMIT_.*)$/,
    notes: 'Unset REDIS_URL: each process limits on its own. redis:// or rediss:// shares the limits and failed log-in counts between instances.',
  },
  {
    title: 'Log-in limits and step-up',
    claims: /^(LOGIN_MAX_.*|MFA_MAX_.*|REAUTH_.*)$/,
    notes:
      'A wrong password or code counts against both log-in budgets; past either, log-in to that account answers 429 with Retry-After without checking the password, and a successful log-in clears the counts.',
  },
  {
    title: 'Password hashing',
    claims: /^(BCRYPT_COST|HASH_.*|UV_THREADPOOL_SIZE)$/,
    notes:
      'bcrypt cost 12 is about 200 ms a hash on one core. HASH_CONCURRENCY defaults to the number of CPUs, at most UV_THREADPOOL_SIZE - 1, so token checks (on the same thread pool) never wait behind bcrypt; past HASH_QUEUE_MAX waiting, log-in, register and password change answer 503 with Retry-After at once. UV_THREADPOOL_SIZE is read by Node from the process environment only: export it, never put it in .env.',
  },
  {
    title: 'E-mail',
    claims: /^(SMTP_.*|MAIL_.*|APP_URL|REQUIRE_VERIFIED_EMAIL|VERIFY_TOKEN_.*|RESET_TOKEN_.*)$/,
    notes:
      'SMTP_URL: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465. Unset outside production, mails are logged with their link and written as .eml files under DATA_DIR/outbox/; production refuses to start without it unless MAIL_ENABLED=false. Links open the service\'s own pages at PUBLIC_URL (/verify-email?token=..., /reset-password?token=..., /revert-email?token=...), or your front end\'s at APP_URL when set. Beyond the mail limits the answer is the same and no mail goes. See docs/email.md.',
  },
  {
    title: 'Administration',
    claims: /^(FIRST_SUPERUSER_.*|AUDIT_.*)$/,
    notes:
      'Set all three FIRST_SUPERUSER_* variables or none. The account is created at start-up when no account has that email (a restart changes nothing); an account someone already registered with it is never promoted: start-up warns instead, and `npm run users -- promote <email>` does it by hand. See docs/administration.md.',
  },
  {
    title: 'Passkeys',
    claims: /^(WEBAUTHN_.*|PASSKEY.*)$/,
    notes:
      'Unset, WEBAUTHN_RP_ID is the host name of PUBLIC_URL and WEBAUTHN_ORIGINS its origin. WebAuthn refuses IP addresses: with one in PUBLIC_URL (and no WEBAUTHN_RP_ID) passkeys are off, with one warning at start-up, and everything else works. Browsers allow WebAuthn over plain http on localhost only. See docs/passkeys.md.',
  },
  { title: 'Social log-in', claims: /^(OIDC_.*|GITHUB_.*|GOOGLE_.*|SOCIAL_.*)$/ },
  { title: 'OpenID Provider', claims: /^(PROVIDER_.*|OAUTH2?_.*)$/ },
  { title: 'Webhooks', claims: /^WEBHOOK.*$/ },
  {
    title: 'Housekeeping',
    claims: /^HOUSEKEEPING_.*$/,
    notes:
      'Every purge (ended sessions, used links, expired two-factor challenges, audit events past AUDIT_RETENTION_DAYS, sent and failed mail past MAIL_RETENTION_DAYS) runs in one round at start-up and every HOUSEKEEPING_INTERVAL_SECONDS, one instance at a time, in statements of at most 5,000 rows (docs/api.md, Housekeeping).',
  },
  {
    title: 'Metrics',
    claims: /^METRICS_.*$/,
    notes:
      'Off unless METRICS_PORT or METRICS_TOKEN is set. METRICS_PORT: GET /metrics on a listener of its own (0: any free port). METRICS_TOKEN (at least 32 bytes): GET /metrics on the API port, to that bearer only. See docs/operations.md.',
  },
];

const OTHER: Group = { title: 'Other', claims: /^/ };

export interface Row {
  readonly name: string;
  readonly doc: string;
  /** The text that means the default, or undefined when the variable has none (unset means something). */
  readonly fallback: string | undefined;
  readonly choices: readonly string[] | undefined;
  /** The whole numbers accepted, as written in the variable (before any unit conversion). */
  readonly range: readonly [number, number] | undefined;
}

interface ZodInternals {
  readonly _zod: { readonly def: { readonly type: string; readonly [key: string]: unknown } };
}

/** Walks defaults, optionals and pipes (zod 4's transforms and preprocessors) for what the parser starts from. */
function inspect(schema: z.ZodType): Omit<Row, 'name' | 'doc'> {
  let fallback: string | undefined;
  let choices: readonly string[] | undefined;
  let range: readonly [number, number] | undefined;
  const visit = (node: unknown): void => {
    const def = (node as ZodInternals | undefined)?._zod?.def;
    if (!def) return;
    if (def.type === 'default' && fallback === undefined) fallback = String(def.defaultValue as unknown);
    if (def.type === 'enum' && choices === undefined) choices = Object.values(def.entries as Record<string, string>);
    if (def.type === 'number' && range === undefined) {
      const { minValue, maxValue } = node as { minValue: number | null; maxValue: number | null };
      if (minValue !== null && maxValue !== null) range = [minValue, maxValue];
    }
    if (def.type === 'pipe') {
      visit(def.in);
      visit(def.out);
    }
    if (def.innerType !== undefined) visit(def.innerType);
  };
  visit(schema);
  // A yes-or-no variable's spellings are the same for all of them: said once, in the page's introduction.
  return { fallback, choices: choices?.includes('true') ? undefined : choices, range };
}

/** Every variable with what its parser says of it: its default, its choices, its range. */
export function rows(): readonly Row[] {
  return CONFIG_TABLE.map(({ name, schema, doc }) => ({ name, doc, ...inspect(schema) }));
}

function grouped(): readonly (readonly [Group, readonly Row[]])[] {
  const byGroup = new Map<Group, Row[]>();
  for (const row of rows()) {
    const group = GROUPS.find((g) => g.claims.test(row.name)) ?? OTHER;
    byGroup.set(group, [...(byGroup.get(group) ?? []), row]);
  }
  return [...GROUPS, OTHER].flatMap((group) => (byGroup.has(group) ? [[group, byGroup.get(group)!] as const] : []));
}

/** The meaning with what the parser accepts: its choices, or its range of whole numbers. */
function meaning(row: Row, code: (text: string) => string): string {
  if (row.choices) return `${row.doc}: ${row.choices.map(code).join(', ')}`;
  if (row.range) return `${row.doc} (${row.range[0]} to ${row.range[1]})`;
  return row.doc;
}

const GENERATED = 'Generated by `npm run config:docs` from the table in bootstrap/config.ts: edit that table, not this file.';

/** Wraps prose into lines of at most 116 characters, each starting with `prefix`. */
function wrap(text: string, prefix: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > 116) {
      lines.push(prefix + line);
      line = '';
    }
    line += line === '' ? word : ` ${word}`;
  }
  lines.push(prefix + line);
  return lines.join('\n').replaceAll(/ +$/gm, '');
}

const comment = (text: string) => wrap(text, '# ');

/**
 * Plain prose as Markdown, outside spans that already are code: variable names (with a value set) as code, angle
 * brackets escaped, and the paths of sibling pages as links.
 */
function markdown(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replaceAll('<', '&lt;')
            .replaceAll('>', '&gt;')
            .replaceAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:_\*|=\w+)?(?![\w-])/g, '`$&`')
            .replaceAll(/\bdocs\/([\w-]+\.md)\b/g, '[$1]($1)'),
    )
    .join('');
}

export function renderEnvExample(): string {
  const header = [
    comment('Copy to .env and adjust. The real environment wins over this file. Every value below is the default; an empty one means unset. Yes-or-no variables take true, false, 1, 0, yes or no.'),
    comment(GENERATED),
  ];
  const sections = grouped().map(([group, members]) => {
    const lines = [`# -- ${group.title}`];
    if (group.notes) lines.push(comment(group.notes));
    for (const row of members) {
      lines.push(comment(`${row.name}: ${meaning(row, (c) => c)}`));
      const value = PROCESS_ENVIRONMENT_ONLY.includes(row.name) ? '' : (row.fallback ?? '');
      lines.push(`${row.name}=${/[\s#"'`$]/.test(value) ? JSON.stringify(value) : value}`);
    }
    return lines.join('\n');
  });
  return `${[header.join('\n'), ...sections].join('\n\n')}\n`;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

export function renderConfigurationPage(): string {
  const parts = [
    '# Configuration',
    '',
    `<!-- ${GENERATED} -->`,
    '',
    'The service reads these variables from the environment, or from a `.env` file in the working directory (the',
    'environment wins); [`.env.example`](../.env.example) lists them all with their defaults. A bad value stops',
    'start-up with one line naming the variable and why; rules between variables (a key required in production,',
    'settings that go together) are checked the same way. A yes-or-no variable takes `true`, `false`, `1`, `0`, `yes` or',
    '`no`.',
  ];
  for (const [group, members] of grouped()) {
    parts.push('', `## ${group.title}`, '');
    if (group.notes) parts.push(wrap(markdown(group.notes), ''), '');
    parts.push('| variable | default | meaning |', '|---|---|---|');
    for (const row of members) {
      const fallback = row.fallback === undefined ? 'unset' : row.fallback === '' ? 'empty' : `\`${cell(row.fallback)}\``;
      parts.push(`| \`${row.name}\` | ${fallback} | ${cell(markdown(meaning(row, (c) => `\`${c}\``)))} |`);
    }
  }
  parts.push(
    '',
    '## Adding a variable',
    '',
    'One line in `VARIABLES` in `bootstrap/config.ts`: the `Config` property, the variable\'s name, its parser with its',
    'default, and what it means, for example',
    '`refreshReuseGraceMs: variable(\'REFRESH_REUSE_GRACE_SECONDS\', integer(0, 300, 10).transform((s) => s * 1000), \'...\')`.',
    '`config.refreshReuseGraceMs` is then typed and a bad value stops the start with one line naming the variable. A',
    'rule between two variables is one entry in `RULES`. Then run `npm run config:docs` and commit `.env.example` and',
    'this page: `test/docs/configuration-doc.spec.ts` fails while they differ from the table. Nothing but',
    '`bootstrap/config.ts` reads `process.env`, and each setting has exactly one name.',
  );
  return `${parts.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(ENV_EXAMPLE_FILE, renderEnvExample());
  writeFileSync(CONFIGURATION_PAGE, renderConfigurationPage());
  process.stdout.write(`wrote ${ENV_EXAMPLE_FILE} and ${CONFIGURATION_PAGE}\n`);
}
