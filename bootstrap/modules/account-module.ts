import { ContainerModule } from 'inversify';
import type { AccountRouteDependencies } from '../../adapters/http/account/routes.js';
import {
  DeleteCurrentUser,
  RegisterUser,
  UpdateCurrentUser,
  type AuditTrail,
  type CredentialsChanged,
  type Reauthentication,
  type Clock,
  type MailQueue,
  type MailThrottle,
  type PasswordHasher,
  type PasswordPolicy,
  type UnitOfWork,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { ProfileExport } from '../../application/account/export-my-data.js';
import { token, TOKENS } from '../tokens.js';

/** What the account routes use, bound below. */
export const ACCOUNT_ROUTES = token<AccountRouteDependencies>('AccountRoutes');

const verified = (config: Config) => ({ requireVerifiedEmail: config.mail.requireVerifiedEmail });

/** Registration, the profile and deleting one's own account. */
export const accountModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.RegisterUser).toResolvedValue(
    (unitOfWork: UnitOfWork, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock, mail: MailQueue, throttle: MailThrottle, audit: AuditTrail, config: Config) =>
      new RegisterUser(unitOfWork, hasher, policy, clock, mail, throttle, audit, verified(config)),
    [TOKENS.UnitOfWork, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock, TOKENS.MailQueue, TOKENS.MailThrottle, TOKENS.AuditTrail, TOKENS.Config],
  );
  bind(TOKENS.UpdateCurrentUser).toResolvedValue(
    (
      unitOfWork: UnitOfWork,
      hasher: PasswordHasher,
      policy: PasswordPolicy,
      clock: Clock,
      mail: MailQueue,
      reauthentication: Reauthentication,
      changed: CredentialsChanged,
      config: Config,
    ) => new UpdateCurrentUser(unitOfWork, hasher, policy, clock, mail, reauthentication, changed, verified(config)),
    [TOKENS.UnitOfWork, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock, TOKENS.MailQueue, TOKENS.Reauthentication, TOKENS.CredentialsChanged, TOKENS.Config],
  );
  bind(TOKENS.DeleteCurrentUser).toResolvedValue(
    (unitOfWork: UnitOfWork, audit: AuditTrail, reauthentication: Reauthentication) => new DeleteCurrentUser(unitOfWork, audit, reauthentication),
    [TOKENS.UnitOfWork, TOKENS.AuditTrail, TOKENS.Reauthentication],
  );
  bind(ACCOUNT_ROUTES).toDynamicValue(async ({ getAsync }) => ({
    registerUser: await getAsync(TOKENS.RegisterUser),
    updateCurrentUser: await getAsync(TOKENS.UpdateCurrentUser),
    deleteCurrentUser: await getAsync(TOKENS.DeleteCurrentUser),
    exportMyData: await getAsync(TOKENS.ExportMyData),
    requireVerifiedEmail: (await getAsync(TOKENS.Config)).mail.requireVerifiedEmail,
  }));
  // The data export's section of the account itself.
  bind(TOKENS.ExportSection).toConstantValue(new ProfileExport());
});
