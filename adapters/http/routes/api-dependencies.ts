import type { AuthenticateUser } from '../../../application/use-cases/authenticate-user.js';
import type { DeleteCurrentUser } from '../../../application/use-cases/delete-current-user.js';
import type { DeleteUser } from '../../../application/use-cases/delete-user.js';
import type { EndUserSessions } from '../../../application/use-cases/end-user-sessions.js';
import type { GetUser } from '../../../application/use-cases/get-user.js';
import type { ListAuditEvents } from '../../../application/use-cases/list-audit-events.js';
import type { ListMyEvents } from '../../../application/use-cases/list-my-events.js';
import type { ListUserSessions } from '../../../application/use-cases/list-user-sessions.js';
import type { ListUsers } from '../../../application/use-cases/list-users.js';
import type { LogIn } from '../../../application/use-cases/log-in.js';
import type { RefreshSession } from '../../../application/use-cases/refresh-session.js';
import type { RegisterUser } from '../../../application/use-cases/register-user.js';
import type { EndSession } from '../../../application/use-cases/end-session.js';
import type { ListSessions } from '../../../application/use-cases/list-sessions.js';
import type { LogOut } from '../../../application/use-cases/log-out.js';
import type { UpdateCurrentUser } from '../../../application/use-cases/update-current-user.js';
import type { UpdateUser } from '../../../application/use-cases/update-user.js';
import type { CompleteMfaLogIn } from '../../../application/use-cases/complete-mfa-log-in.js';
import type { ConfirmTotp } from '../../../application/use-cases/confirm-totp.js';
import type { DisableTotp } from '../../../application/use-cases/disable-totp.js';
import type { EnrolTotp } from '../../../application/use-cases/enrol-totp.js';
import type { RequestPasswordReset } from '../../../application/use-cases/request-password-reset.js';
import type { RequestVerification } from '../../../application/use-cases/request-verification.js';
import type { ResetPassword } from '../../../application/use-cases/reset-password.js';
import type { RevertEmail } from '../../../application/use-cases/revert-email.js';
import type { VerifyEmail } from '../../../application/use-cases/verify-email.js';
import type { ManageWebhooks } from '../../../application/webhooks/manage-webhooks.js';
import type { HttpMetrics } from '../http-metrics.js';
import { routesFor } from './define-route.js';

/** What the handlers of the `/api/v1` table may use. */
export interface ApiDependencies {
  readonly registerUser: RegisterUser;
  readonly logIn: LogIn;
  readonly authenticateUser: AuthenticateUser;
  readonly updateCurrentUser: UpdateCurrentUser;
  readonly deleteCurrentUser: DeleteCurrentUser;
  readonly refreshSession: RefreshSession;
  readonly logOut: LogOut;
  readonly listSessions: ListSessions;
  readonly endSession: EndSession;
  readonly listMyEvents: ListMyEvents;
  readonly listUsers: ListUsers;
  readonly getUser: GetUser;
  readonly updateUser: UpdateUser;
  readonly deleteUser: DeleteUser;
  readonly listUserSessions: ListUserSessions;
  readonly endUserSessions: EndUserSessions;
  readonly listAuditEvents: ListAuditEvents;
  readonly enrolTotp: EnrolTotp;
  readonly confirmTotp: ConfirmTotp;
  readonly disableTotp: DisableTotp;
  readonly completeMfaLogIn: CompleteMfaLogIn;
  readonly requestVerification: RequestVerification;
  readonly verifyEmail: VerifyEmail;
  readonly requestPasswordReset: RequestPasswordReset;
  readonly resetPassword: ResetPassword;
  readonly revertEmail: RevertEmail;
  readonly manageWebhooks: ManageWebhooks;
  /** REQUIRE_VERIFIED_EMAIL: registration answers 202 alike for a new and a taken email. */
  readonly requireVerifiedEmail: boolean;
  readonly metrics?: Pick<HttpMetrics, 'countLogIn'>;
}

export const defineApiRoute = routesFor<ApiDependencies>();
