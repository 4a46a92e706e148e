import { expect } from 'chai';
// Only the public entry point: this is what a team embedding the use cases without Koa or Inversify imports.
import {
  AuthenticateUser,
  DeleteCurrentUser,
  EmailTaken,
  InvalidToken,
  LogIn,
  PasswordPolicy,
  RegisterUser,
  UpdateCurrentUser,
  UsernameTaken,
  type AccessTokenClaims,
  type Clock,
  type Email,
  type IssuedAccessToken,
  type PasswordHasher,
  type TokenIssuer,
  type User,
  type UserId,
  type UserRepository,
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

describe('Embedding the use cases without the HTTP service', () => {
  it('runs the whole account life cycle on a program\'s own adapters', async () => {
    const users = new ArrayUserRepository();
    const hasher = new ReversingHasher();
    const tokens = new SessionTable();
    const clock: Clock = { now: () => new Date('2030-01-01T00:00:00Z') };
    const policy = new PasswordPolicy(new Set(['password123']));

    const registered = await new RegisterUser(users, hasher, policy, clock).execute({ email: 'Eve@Example.com', username: 'eve', password: 'embedded secret' });
    const { accessToken } = await new LogIn(users, hasher, tokens).execute({ login: 'eve@example.com', password: 'embedded secret' });
    const current = await new AuthenticateUser(tokens, users).execute(accessToken.token);
    expect(current.id).to.equal(registered.id);

    const updated = await new UpdateCurrentUser(users, hasher, policy, clock).execute(current, { password: 'a new embedded secret', currentPassword: 'embedded secret' });
    let refused: unknown;
    await new AuthenticateUser(tokens, users).execute(accessToken.token).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(InvalidToken);

    await new DeleteCurrentUser(users).execute(updated);
    expect(users.rows).to.deep.equal([]);
  });
});
