import type { User } from '../../domain/index.js';

/**
 * One feature's part of a user's data export (GDPR Art. 15 and 20). Each feature that keeps something about a
 * user registers one (in its container module: one line), so the export grows with the features: passkeys,
 * linked identities and OAuth grants add theirs when they land. What a section returns is metadata only: never a
 * password, hash, secret, token or code.
 */
export interface ExportSection {
  /** The key of the section in the document (`profile`, `sessions`, `security_history`). */
  readonly name: string;
  collect(user: User): Promise<unknown>;
}
