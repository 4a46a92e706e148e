import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One mail of the development outbox, as its `.json` companion keeps it (decoded: no quoted-printable to undo). */
export interface DevelopmentMail {
  readonly at: Date;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** The companion `DevelopmentFileMailer` writes beside each `.eml`, for `/dev/mail` to read without a MIME parser. */
export function companionPath(emlPath: string): string {
  return emlPath.replace(/\.eml$/, '.json');
}

/** The newest `limit` mails of the development outbox under `directory`, newest first. */
export async function readDevelopmentOutbox(directory: string, limit = 50): Promise<DevelopmentMail[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // Names start with an ISO time, so they sort by when the mail was written.
  const newest = names.filter((name) => name.endsWith('.json')).sort().reverse().slice(0, limit);
  const mails = await Promise.all(
    newest.map(async (name) => {
      const stored = JSON.parse(await readFile(join(directory, name), 'utf8')) as { at: string; to: string; subject: string; text: string };
      return { at: new Date(stored.at), to: stored.to, subject: stored.subject, text: stored.text };
    }),
  );
  return mails;
}
