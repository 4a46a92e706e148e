import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Context } from 'mocha';
import { POSTGRES_URL, skipOrFail } from './services.js';

export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A database of its own per suite, so runs in parallel (or a crashed earlier run) never share rows. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `auth_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: POSTGRES_URL });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** For a suite's `before`: a scratch database, or a skip (a failure in CI) when PostgreSQL does not answer. */
export async function scratchDatabaseOrSkip(context: Context): Promise<ScratchDatabase> {
  try {
    return await createScratchDatabase();
  } catch (error) {
    skipOrFail(context, 'PostgreSQL', error);
    throw error;
  }
}
