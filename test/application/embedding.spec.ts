import { createSecretKey, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { InMemoryMfaChallengeStore } from '../../adapters/memory/in-memory-mfa-challenge-store.js';
import { InMemoryAuditLog } from '../../adapters/memory/in-memory-audit-log.js';
import { InMemoryMailOutbox } from '../../adapters/memory/in-memory-mail-outbox.js';
import { InMemoryOneTimeTokenStore } from '../../adapters/memory/in-memory-one-time-token-store.js';
import { InMemorySessionRepository } from '../../adapters/memory/in-memory-session-repository.js';
import { InMemoryWebhookDeliveryQueue } from '../../adapters/memory/in-memory-webhook-delivery-queue.js';
import { InMemoryWebhookEndpointRepository } from '../../adapters/memory/in-memory-webhook-endpoint-repository.js';
// The public entry point: this is what a team embedding the use cases without Koa or Inversify imports.
import {
  AuditTrail,
  AuthenticateUser,
  DeleteCurrentUser,
  EmailTaken,
  InvalidRefreshToken,
  InvalidToken,
  LogIn,
  LoginThrottle,
  MailQueue,
  MailThrottle,
  OpenSession,
  RefreshSession,
  type RateLimiter,
  PasswordPolicy,
  RegisterUser,
  UpdateCurrentUser,
  UsernameTaken,
  Reauthentication,
  CredentialsChanged,
  type AccessTokenClaims,
  type Clock,
  type Email,
  type IssuedAccessToken,
  type PasswordHasher,
  type SecretBox,
  type TransactionalStores,
  type UnitOfWork,
  type TokenIssuer,
  type User,
  type UserId,
  type UserRepository,
  type UserListQuery,
  type GuardedUserChange,
  type Username,
} from '../../application/index.js';

// The embedding program's own adapters, written against the ports alone.
class ArrayUserRepository implements UserRepository {
  readonly rows: User[] = [];
  async add(user: User) {
    this.assertFree(user);
    this.rows.push(user);
  }
  async findById(id: UserId) {
    return this.rows.find((u) => u.id === id);
  }
  async findByEmail(email: Email) {
    return this.rows.find((u) => u.email.equals(email));
  }
  async findByUsername(username: Username) {
    return this.rows.find((u) => u.username.equals(username));
  }
  async update(user: User) {
    const index = this.rows.findIndex((u) => u.id === user.id);
    if (index < 0) return false;
    this.assertFree(user);
    this.rows[index] = user;
    return true;
  }
  async remove(id: UserId) {
    const index = this.rows.findIndex((u) => u.id === id);
    if (index >= 0) this.rows.splice(index, 1);
    return index >= 0;
  }
  async list(query: UserListQuery) {
    return this.rows.filter((u) => query.after === undefined || u.id > query.after).slice(0, query.limit);
  }
  async updateWith(id: UserId, decide: GuardedUserChange<User>) {
    const index = this.rows.findIndex((u) => u.id === id);
    if (index < 0) return undefined;
    const next = decide(this.rows[index]!, this.rows.filter((u) => u.id !== id && u.administers).length);
    this.rows[index] = next;
    return next;
  }
  async removeWith(id: UserId, decide: GuardedUserChange<void>) {
    const user = this.rows.find((u) => u.id === id);
    if (!user) return undefined;
    decide(user, this.rows.filter((u) => u.id !== id && u.administers).length);
    await this.remove(id);
    return user;
  }
  private assertFree(user: User) {
    if (this.rows.some((u) => u.id !== user.id && u.email.equals(user.email))) throw new EmailTaken();
    if (this.rows.some((u) => u.id !== user.id && u.username.equals(user.username))) throw new UsernameTaken();
  }
}

class ReversingHasher implements PasswordHasher {
  async hash(password: string) {
    return [...password].reverse().join('');
  }
  async verify(password: string, hash: string) {
    return (await this.hash(password)) === hash;
  }
}

class SessionTable implements TokenIssuer {
  readonly sessions = new Map<string, AccessTokenClaims>();
  async issue(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
    const token = `session-${this.sessions.size + 1}`;
    this.sessions.set(token, claims);
    return { token, expiresIn: 3600 };
  }
  async verify(token: string) {
    const claims = this.sessions.get(token);
    if (!claims) throw new InvalidToken();
    return claims;
  }
}

/** A program that wants no log-in limits says so with a limiter that never refuses. */
class Unlimited implements RateLimiter {
  async consume() {
    return { allowed: true, limit: Number.MAX_SAFE_INTEGER, remaining: Number.MAX_SAFE_INTEGER, resetMs: 60_000 };
  }
  peek() {
    return this.consume();
  }
  async reset() {}
}

/** A program whose stores have no transactions runs each unit straight through (and accepts what that means). */
class NoTransactions implements UnitOfWork {
  constructor(private readonly stores: TransactionalStores) {}
  run<T>(work: (stores: TransactionalStores) => Promise<T>) {
    return work(this.stores);
  }
}

/** The program keeps its outbox where nobody else reads it, so it seals nothing. */
const openBox: SecretBox = { seal: (plaintext) => plaintext, open: (sealed) => sealed };

describe('Embedding the use cases without the HTTP service', () => {
  it('runs the whole account life cycle on a program\'s own adapters', async () => {
    const users = new ArrayUserRepository();
    const hasher = new ReversingHasher();
    const tokens = new SessionTable();
    const clock: Clock = { now: () => new Date('2030-01-01T00:00:00Z') };
    const policy = new PasswordPolicy(new Set(['password123']));
    // The ready-made in-memory session store works as well outside the service as in it.
    const sessions = new InMemorySessionRepository(users);
    const auditLog = new InMemoryAuditLog();
    const audit = new AuditTrail(auditLog, clock);
    const sessionPolicy = { refreshTokenTtlMs: 86_400_000 };
    const logIn = new LogIn(users, hasher, new OpenSession(sessions, tokens, clock, sessionPolicy), new LoginThrottle(new Unlimited(), new Unlimited()), new InMemoryMfaChallengeStore(), clock, audit);
    const authenticate = new AuthenticateUser(tokens, sessions, clock);
    const outbox = new InMemoryMailOutbox();
    const webhookDeliveries = new InMemoryWebhookDeliveryQueue();
    const webhookEndpoints = new InMemoryWebhookEndpointRepository(webhookDeliveries);
    const unitOfWork = new NoTransactions({ users, sessions, oneTimeTokens: new InMemoryOneTimeTokenStore(), outbox, audit: auditLog, webhookEndpoints, webhookDeliveries });
    const mail = new MailQueue(openBox, clock);

    const registered = await new RegisterUser(unitOfWork, hasher, policy, clock, mail, new MailThrottle(new Unlimited(), new Unlimited()), audit).execute({ email: 'Eve@Example.com', username: 'eve', password: 'embedded secret' });
    expect(outbox.all().map((queued) => [queued.kind, queued.to])).to.deep.equal([['verify_email', 'eve@example.com']]);
    const { tokens: issued } = await logIn.execute({ login: 'eve@example.com', password: 'embedded secret', origin: {} });
    const current = await authenticate.execute(issued.accessToken.token);
    expect(current.user.id).to.equal(registered.id);

    // The two shared security steps an embedder builds once: proving the credentials again, and what follows a change.
    const throttle = new LoginThrottle(new Unlimited(), new Unlimited());
    const reauthentication = new Reauthentication(hasher, throttle, clock);
    const credentialsChanged = new CredentialsChanged(mail, audit, clock);
    const updated = await new UpdateCurrentUser(unitOfWork, hasher, policy, clock, mail, reauthentication, credentialsChanged).execute(current, {
      password: 'a new embedded secret',
      currentPassword: 'embedded secret',
    });
    let refused: unknown;
    await authenticate.execute(issued.accessToken.token).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(InvalidToken);
    await new RefreshSession(sessions, tokens, clock, { ...sessionPolicy, refreshReuseGraceMs: 10_000 }, createSecretKey(randomBytes(32)), audit)
      .execute(issued.refreshToken).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(InvalidRefreshToken);

    const history = await auditLog.list({ userId: registered.id }, { limit: 10 });
    expect(history.map((event) => event.type)).to.have.members(['user.registered', 'login.succeeded', 'password.changed']);

    await new DeleteCurrentUser(unitOfWork, audit, reauthentication).execute({ user: updated, session: current.session }, {}, { kind: 'password', password: 'a new embedded secret' });
    expect(users.rows).to.deep.equal([]);
  });
});
