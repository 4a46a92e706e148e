import type { AuthenticateUser } from '../../../application/sessions/authenticate-user.js';
import type { DeleteCurrentUser } from '../../../application/account/delete-current-user.js';
import type { DeleteUser } from '../../../application/administration/delete-user.js';
import type { EndUserSessions } from '../../../application/administration/end-user-sessions.js';
import type { GetUser } from '../../../application/administration/get-user.js';
import type { ListAuditEvents } from '../../../application/administration/list-audit-events.js';
import type { ListMyEvents } from '../../../application/administration/list-my-events.js';
import type { ListUserSessions } from '../../../application/administration/list-user-sessions.js';
import type { ListUsers } from '../../../application/administration/list-users.js';
import type { LogIn } from '../../../application/sessions/log-in.js';
import type { RefreshSession } from '../../../application/sessions/refresh-session.js';
import type { RegisterUser } from '../../../application/account/register-user.js';
import type { EndSession } from '../../../application/sessions/end-session.js';
import type { ListSessions } from '../../../application/sessions/list-sessions.js';
import type { LogOut } from '../../../application/sessions/log-out.js';
import type { UpdateCurrentUser } from '../../../application/account/update-current-user.js';
import type { UpdateUser } from '../../../application/administration/update-user.js';
import type { CompleteMfaLogIn } from '../../../application/two-factor/complete-mfa-log-in.js';
import type { ConfirmTotp } from '../../../application/two-factor/confirm-totp.js';
import type { DisableTotp } from '../../../application/two-factor/disable-totp.js';
import type { EnrolTotp } from '../../../application/two-factor/enrol-totp.js';
import type { RequestPasswordReset } from '../../../application/email/request-password-reset.js';
import type { RequestVerification } from '../../../application/email/request-verification.js';
import type { ResetPassword } from '../../../application/email/reset-password.js';
import type { RevertEmail } from '../../../application/email/revert-email.js';
import type { VerifyEmail } from '../../../application/email/verify-email.js';
import type { Passkeys } from '../../../application/passkeys/feature.js';
import type { ManageWebhooks } from '../../../application/webhooks/manage-webhooks.js';
import type { ExportMyData } from '../../../application/account/export-my-data.js';
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
  readonly passkeys: Passkeys;
  readonly manageWebhooks: ManageWebhooks;
  readonly exportMyData: ExportMyData;
  /** REQUIRE_VERIFIED_EMAIL: registration answers 202 alike for a new and a taken email. */
  readonly requireVerifiedEmail: boolean;
  readonly metrics?: Pick<HttpMetrics, 'countLogIn'>;
}

export const defineApiRoute = routesFor<ApiDependencies>();
