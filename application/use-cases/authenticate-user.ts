import { InvalidToken, type User } from '../../domain/index.js';
import type { TokenIssuer } from '../ports/token-issuer.js';
import type { UserRepository } from '../ports/user-repository.js';

/** Turns a bearer token into the current user: one signature check and one read by primary key. */
export class AuthenticateUser {
  constructor(
    private readonly tokens: TokenIssuer,
    private readonly users: UserRepository,
  ) {}

  /** Throws `InvalidToken` when the token is bad, its user is gone or inactive, or its version is revoked. */
  async execute(token: string): Promise<User> {
    const claims = await this.tokens.verify(token);
    const user = await this.users.findById(claims.userId);
    if (!user || !user.isActive || user.tokenVersion !== claims.tokenVersion) throw new InvalidToken();
    return user;
  }
}
