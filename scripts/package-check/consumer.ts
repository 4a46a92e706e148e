// A TypeScript program embedding the installed package: it writes an adapter of its own against a port, and
// touches every entry point, so each one's declarations must resolve and agree with its JavaScript.
import {
  AuditTrail,
  EmailTaken,
  InvalidToken,
  PasswordPolicy,
  RegisterUser,
  type Clock,
  type DomainErrorCode,
  type Email,
  type User,
  type UserId,
  type GuardedUserChange,
  type UserListQuery,
  type UserRepository,
  type Username,
  type TransactionalStores,
  type UnitOfWork,
  MailQueue,
  MailThrottle,
} from 'auth-service';
import { AesGcmSecretBox, BcryptPasswordHasher, JoseKeySet, JoseTokenIssuer, type SigningAlgorithm } from 'auth-service/adapters/crypto';
import { API_PREFIX, createHttpApp, type HttpAppDependencies, type HttpLogger } from 'auth-service/adapters/http';
import { KyselyUserRepository, createPgliteDatabase, migrateToLatest, type DatabaseHandle } from 'auth-service/adapters/kysely';
import {
  InMemoryAuditLog,
  InMemoryMailOutbox,
  InMemoryOneTimeTokenStore,
  InMemoryRateLimiter,
  InMemorySessionRepository,
  InMemoryWebhookDeliveryQueue,
  InMemoryWebhookEndpointRepository,
} from 'auth-service/adapters/memory';
import { PrometheusMetrics } from 'auth-service/adapters/prometheus';
import { FallbackRateLimiter, RedisRateLimiter, createRedisClient } from 'auth-service/adapters/redis';
import { SystemClock } from 'auth-service/adapters/system';
import { loadZxcvbnCommonPasswords } from 'auth-service/adapters/zxcvbn';

class MapUserRepository implements UserRepository {
  readonly #byId = new Map<UserId, User>();
  async add(user: User): Promise<void> {
    if ([...this.#byId.values()].some((u) => u.email.equals(user.email))) throw new EmailTaken();
    this.#byId.set(user.id, user);
  }
  async findById(id: UserId) {
    return this.#byId.get(id);
  }
  async findByEmail(email: Email) {
    return [...this.#byId.values()].find((u) => u.email.equals(email));
  }
  async findByUsername(username: Username) {
    return [...this.#byId.values()].find((u) => u.username.equals(username));
  }
  async update(user: User) {
    return this.#byId.has(user.id) && Boolean(this.#byId.set(user.id, user));
  }
  async remove(id: UserId) {
    return this.#byId.delete(id);
  }
  async list(query: UserListQuery) {
    return [...this.#byId.values()].filter((u) => query.after === undefined || u.id > query.after).slice(0, query.limit);
  }
  async updateWith(id: UserId, decide: GuardedUserChange<User>) {
    const user = this.#byId.get(id);
    if (!user) return undefined;
    const next = decide(user, [...this.#byId.values()].filter((u) => u.id !== id && u.administers).length);
    this.#byId.set(id, next);
    return next;
  }
  async removeWith(id: UserId, decide: GuardedUserChange<void>) {
    const user = this.#byId.get(id);
    if (!user) return undefined;
    decide(user, [...this.#byId.values()].filter((u) => u.id !== id && u.administers).length);
    this.#byId.delete(id);
    return user;
  }
}

const clock: Clock = new SystemClock();
/** The consumer's own unit of work: its stores have no transactions to offer, so a run is just a call. */
class NoTransactions implements UnitOfWork {
  constructor(private readonly stores: TransactionalStores) {}
  run<T>(work: (stores: TransactionalStores) => Promise<T>): Promise<T> {
    return work(this.stores);
  }
}
const mapUsers = new MapUserRepository();
const stores: TransactionalStores = {
  users: mapUsers,
  sessions: new InMemorySessionRepository(mapUsers),
  oneTimeTokens: new InMemoryOneTimeTokenStore(),
  outbox: new InMemoryMailOutbox(),
  audit: new InMemoryAuditLog(),
  // This program sends no webhooks: empty stores, so an audit event finds no endpoint to fan out to.
  webhookEndpoints: new InMemoryWebhookEndpointRepository(),
  webhookDeliveries: new InMemoryWebhookDeliveryQueue(),
};
const hourly = () => new InMemoryRateLimiter({ limit: 5, windowMs: 3_600_000 }, clock);
const register = new RegisterUser(
  new NoTransactions(stores),
  new BcryptPasswordHasher(10),
  new PasswordPolicy(loadZxcvbnCommonPasswords()),
  clock,
  new MailQueue(new AesGcmSecretBox(new Uint8Array(32)), clock),
  new MailThrottle(hourly(), hourly()),
  new AuditTrail(stores.audit, clock),
);
const code: DomainErrorCode = new InvalidToken().code;
const algorithm: SigningAlgorithm = 'HS256';
const issuer = new JoseTokenIssuer(await JoseKeySet.hmac(algorithm, new Uint8Array(32)), { issuer: 'i', audience: 'a', ttlSeconds: 60, clockToleranceSeconds: 0 }, clock);
const database: DatabaseHandle = await createPgliteDatabase();
const migrated: string[] = await migrateToLatest(database.db);
const stored: UserRepository = new KyselyUserRepository(database.db);
const limiter = new FallbackRateLimiter(
  new RedisRateLimiter(createRedisClient('redis://127.0.0.1:1', { onError: () => {} }), { limit: 1, windowMs: 1000, prefix: 'x:' }, clock),
  new InMemoryRateLimiter({ limit: 1, windowMs: 1000 }, clock),
  { failOpen: true },
  clock,
);
const logger: HttpLogger = { info() {}, warn() {}, error() {} };
const partial: Pick<HttpAppDependencies, 'rateLimiter' | 'logger'> = { rateLimiter: limiter, logger };
const metrics: typeof PrometheusMetrics = PrometheusMetrics;
export const consumed = [register, code, issuer, migrated, stored, partial, metrics, createHttpApp, API_PREFIX] as const;
