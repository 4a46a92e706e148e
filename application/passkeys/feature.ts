import type { LogInWithPasskey } from './log-in-with-passkey.js';
import type { ListPasskeys, RemovePasskey, RenamePasskey } from './manage-passkeys.js';
import type { PasskeyLogInOptions, PasskeyProof } from './passkey-proof.js';
import type { AddPasskey, PasskeyRegistrationOptions } from './passkey-registration.js';

/** The passkeys feature as the edge sees it: one object, bound once. */
export interface Passkeys {
  /** False when PUBLIC_URL names an IP address: every ceremony answers `PasskeysUnavailable`. */
  readonly enabled: boolean;
  readonly registrationOptions: PasskeyRegistrationOptions;
  readonly add: AddPasskey;
  readonly list: ListPasskeys;
  readonly rename: RenamePasskey;
  readonly remove: RemovePasskey;
  readonly logInOptions: PasskeyLogInOptions;
  readonly logIn: LogInWithPasskey;
  /** "It is you" with a passkey: for `/auth/reauthenticate` too. */
  readonly proof: PasskeyProof;
}
