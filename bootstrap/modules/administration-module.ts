import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { PrometheusAuditCounter } from '../../adapters/prometheus/prometheus-audit-counter.js';
import type { PrometheusMetrics } from '../../adapters/prometheus/prometheus-metrics.js';
import {
  AuditTrail,
  DeleteUser,
  EndUserSessions,
  EnsureFirstSuperuser,
  GetUser,
  ListAuditEvents,
  ListMyEvents,
  ListUserSessions,
  ListUsers,
  PurgeAuditEvents,
  SetSuperuser,
  UpdateUser,
  ResetUserSecondFactors,
  type CredentialsChanged,
  type Reauthentication,
  type AuditLog,
  type Clock,
  type PasswordHasher,
  type PasswordPolicy,
  type SessionRepository,
  type UnitOfWork,
  type UserRepository,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { LoggedAdminActions } from '../logged-admin-actions.js';
import { TOKENS } from '../tokens.js';
import { SecurityHistoryExport } from '../../application/administration/security-history-export.js';

/** Superusers, the administration use cases and the security history every use case writes to. */
export const administrationModule = new ContainerModule(({ bind }) => {
  // Every recorded event is counted, and an administrator's is logged too, in a unit of work or not.
  bind(TOKENS.AuditTrail).toResolvedValue(
    (log: AuditLog, clock: Clock, metrics: PrometheusMetrics, logger: Logger) =>
      new AuditTrail(log, clock, [new PrometheusAuditCounter(metrics.registry), new LoggedAdminActions(logger)]),
    [TOKENS.AuditLog, TOKENS.Clock, TOKENS.Metrics, TOKENS.Logger],
  );
  bind(TOKENS.ListUsers).toResolvedValue((users: UserRepository) => new ListUsers(users), [TOKENS.UserRepository]);
  bind(TOKENS.GetUser).toResolvedValue((users: UserRepository) => new GetUser(users), [TOKENS.UserRepository]);
  bind(TOKENS.UpdateUser).toResolvedValue(
    (unitOfWork: UnitOfWork, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock, audit: AuditTrail, reauthentication: Reauthentication, changed: CredentialsChanged) =>
      new UpdateUser(unitOfWork, hasher, policy, clock, audit, reauthentication, changed),
    [TOKENS.UnitOfWork, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock, TOKENS.AuditTrail, TOKENS.Reauthentication, TOKENS.CredentialsChanged],
  );
  bind(TOKENS.DeleteUser).toResolvedValue(
    (unitOfWork: UnitOfWork, audit: AuditTrail, reauthentication: Reauthentication) => new DeleteUser(unitOfWork, audit, reauthentication),
    [TOKENS.UnitOfWork, TOKENS.AuditTrail, TOKENS.Reauthentication],
  );
  bind(TOKENS.ListUserSessions).toResolvedValue(
    (users: UserRepository, sessions: SessionRepository, clock: Clock) => new ListUserSessions(users, sessions, clock),
    [TOKENS.UserRepository, TOKENS.SessionRepository, TOKENS.Clock],
  );
  bind(TOKENS.EndUserSessions).toResolvedValue(
    (users: UserRepository, sessions: SessionRepository, clock: Clock, audit: AuditTrail, reauthentication: Reauthentication) =>
      new EndUserSessions(users, sessions, clock, audit, reauthentication),
    [TOKENS.UserRepository, TOKENS.SessionRepository, TOKENS.Clock, TOKENS.AuditTrail, TOKENS.Reauthentication],
  );
  bind(TOKENS.ResetUserSecondFactors).toResolvedValue(
    (unitOfWork: UnitOfWork, reauthentication: Reauthentication, changed: CredentialsChanged) => new ResetUserSecondFactors(unitOfWork, reauthentication, changed),
    [TOKENS.UnitOfWork, TOKENS.Reauthentication, TOKENS.CredentialsChanged],
  );
  bind(TOKENS.ListAuditEvents).toResolvedValue((log: AuditLog) => new ListAuditEvents(log), [TOKENS.AuditLog]);
  bind(TOKENS.ListMyEvents).toResolvedValue((log: AuditLog) => new ListMyEvents(log), [TOKENS.AuditLog]);
  bind(TOKENS.EnsureFirstSuperuser).toResolvedValue(
    (users: UserRepository, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock, audit: AuditTrail) =>
      new EnsureFirstSuperuser(users, hasher, policy, clock, audit),
    [TOKENS.UserRepository, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock, TOKENS.AuditTrail],
  );
  bind(TOKENS.SetSuperuser).toResolvedValue(
    (users: UserRepository, clock: Clock, audit: AuditTrail) => new SetSuperuser(users, clock, audit),
    [TOKENS.UserRepository, TOKENS.Clock, TOKENS.AuditTrail],
  );
  bind(TOKENS.HousekeepingJob).toResolvedValue(
    (log: AuditLog, clock: Clock, config: Config) => new PurgeAuditEvents(log, clock, config.auditRetentionMs),
    [TOKENS.AuditLog, TOKENS.Clock, TOKENS.Config],
  );
  bind(TOKENS.ExportSection).toResolvedValue((log: AuditLog) => new SecurityHistoryExport(log), [TOKENS.AuditLog]);
});
