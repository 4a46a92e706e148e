import type { AuthenticationMethod, TotpFactor } from '../../domain/index.js';

/**
 * One way of proving who one is, with the `amr` values (RFC 8176 §2) a session begun with it carries. Log-in asks
 * this list, never a method by name: the password is the first step; a second step tries the `SecondFactor`
 * entries in order. A passkey joins as one more entry (`{ name: 'passkey', amr: ['hwk', 'user'] ... }`).
 */
export interface AuthenticationMethodEntry<Name extends string = string> {
  readonly name: Name;
  readonly amr: readonly AuthenticationMethod[];
}

/** The first step of every log-in. */
export const PASSWORD_METHOD: AuthenticationMethodEntry<'password'> = Object.freeze({ name: 'password', amr: Object.freeze(['pwd'] as const) });

/** What a second step presents: the factor of the user who passed the first step, and the code typed. */
export interface SecondFactorAttempt {
  readonly factor: TotpFactor;
  readonly code: string;
  readonly now: Date;
}

/** A second factor the second step (and re-authentication) may try. */
export interface SecondFactor<Name extends string = string> extends AuthenticationMethodEntry<Name> {
  /** Whether the code has this method's shape (six digits for TOTP); the first entry that takes it decides. */
  accepts(code: string): boolean;
  /** Checks the code and spends it in the same breath, so a replay fails; false for a wrong, reused or stale one. */
  spend(attempt: SecondFactorAttempt): Promise<boolean>;
}

/** The `amr` of a session proved by these methods, in the order given, each value once: password + TOTP is `pwd otp`. */
export function amrOf(methods: readonly AuthenticationMethodEntry[]): readonly AuthenticationMethod[] {
  return Object.freeze([...new Set(methods.flatMap((method) => method.amr))]);
}

/** The entry of the list that takes this code, or undefined when none does. */
export function secondFactorFor<Name extends string>(methods: readonly SecondFactor<Name>[], code: string): SecondFactor<Name> | undefined {
  return methods.find((method) => method.accepts(code));
}
