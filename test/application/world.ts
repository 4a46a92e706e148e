import { InMemoryUserRepository } from '../../adapters/memory/in-memory-user-repository.js';
import {
  AuthenticateUser,
  DeleteCurrentUser,
  LogIn,
  PasswordPolicy,
  RegisterUser,
  UpdateCurrentUser,
} from '../../application/index.js';
import { CountingHasher, PlainTokenIssuer } from '../support/fakes.js';
import { FakeClock } from '../support/fake-clock.js';

/** A fresh world of use cases over in-memory adapters, one per test. */
export function useCaseWorld() {
  const users = new InMemoryUserRepository();
  const hasher = new CountingHasher();
  const tokens = new PlainTokenIssuer();
  const clock = new FakeClock();
  const policy = new PasswordPolicy(new Set(['password123', 'qwertyuiop']));
  return {
    users,
    hasher,
    tokens,
    clock,
    register: new RegisterUser(users, hasher, policy, clock),
    logIn: new LogIn(users, hasher, tokens),
    authenticate: new AuthenticateUser(tokens, users),
    update: new UpdateCurrentUser(users, hasher, policy, clock),
    remove: new DeleteCurrentUser(users),
  };
}

export const ALICE = { email: 'Alice@Example.com', username: 'Alice', password: 'a long enough secret' };
