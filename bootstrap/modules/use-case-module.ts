import { ContainerModule } from 'inversify';
import {
  AuthenticateUser,
  DeleteCurrentUser,
  LogIn,
  RegisterUser,
  UpdateCurrentUser,
  type Clock,
  type PasswordHasher,
  type PasswordPolicy,
  type TokenIssuer,
  type UserRepository,
} from '../../application/index.js';
import { TOKENS } from '../tokens.js';

/** The use cases carry no decorators: they are plain classes, constructed here from their ports. */
export const useCaseModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.RegisterUser).toResolvedValue(
    (users: UserRepository, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock) => new RegisterUser(users, hasher, policy, clock),
    [TOKENS.UserRepository, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock],
  );
  bind(TOKENS.LogIn).toResolvedValue(
    (users: UserRepository, hasher: PasswordHasher, tokens: TokenIssuer) => new LogIn(users, hasher, tokens),
    [TOKENS.UserRepository, TOKENS.PasswordHasher, TOKENS.TokenIssuer],
  );
  bind(TOKENS.AuthenticateUser).toResolvedValue(
    (tokens: TokenIssuer, users: UserRepository) => new AuthenticateUser(tokens, users),
    [TOKENS.TokenIssuer, TOKENS.UserRepository],
  );
  bind(TOKENS.UpdateCurrentUser).toResolvedValue(
    (users: UserRepository, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock) => new UpdateCurrentUser(users, hasher, policy, clock),
    [TOKENS.UserRepository, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock],
  );
  bind(TOKENS.DeleteCurrentUser).toResolvedValue((users: UserRepository) => new DeleteCurrentUser(users), [TOKENS.UserRepository]);
});
