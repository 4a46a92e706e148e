import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { TOKENS } from '../../bootstrap/tokens.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { eventually } from '../support/eventually.js';
import { SmtpCatcher } from '../support/smtp-catcher.js';
import { startTestServer } from '../support/test-server.js';

// The composed service, through the routes that exist today: registration queues the verification mail in its
// transaction, and the worker of the running instance delivers it.
/** The value of one sample in the Prometheus text format, by name and a label subset. */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = exposition.split('\n').find((candidate) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(candidate);
    return match?.[1] === name && wanted.every((pair) => (match[2] ?? '').split(',').includes(pair));
  });
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('Mail in the running service', function () {
  it('mails the verification link of a registration through SMTP_URL, with links from APP_URL', async () => {
    const catcher = await SmtpCatcher.start();
    const server = await startTestServer({ SMTP_URL: catcher.url, APP_URL: 'https://app.example.com', MAIL_FROM: 'Auth <no-reply@example.com>' });
    try {
      const account = newAccount();
      expect((await new ApiClient(server.url).request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);

      await eventually('the verification mail', async () => catcher.mails.length === 1);
      const [mail] = catcher.mails;
      expect(mail!.envelopeTo).to.deep.equal([account.email]);
      expect(mail!.parsed.text).to.match(/https:\/\/app\.example\.com\/verify-email\?token=[A-Za-z0-9_-]{43}/);

      const metrics = await server.container.getAsync(TOKENS.Metrics);
      const text = await eventually('the send to be recorded', async () => {
        const { body } = await metrics.exposition();
        return sample(body, 'mail_sent_total', { outcome: 'sent' }) === 1 ? body : undefined;
      });
      expect(sample(text, 'mail_outbox_pending')).to.equal(0);
      expect(sample(text, 'mail_delivery_seconds_count')).to.equal(1);
    } finally {
      await server.close();
      await catcher.close();
    }
  });

  it('without SMTP_URL outside production, writes the mail under DATA_DIR/outbox and logs its link', async () => {
    const server = await startTestServer({ APP_URL: 'https://app.example.com' });
    try {
      expect((await new ApiClient(server.url).request('POST', '/api/v1/auth/register', { json: newAccount() })).status).to.equal(201);
      const files = await eventually('an .eml file', async () => {
        const names = (await readdir(join(server.dataDir, 'outbox')).catch(() => [] as string[])).filter((name) => name.endsWith('.eml'));
        return names.length === 1 ? names : undefined;
      });
      expect(files[0]).to.match(/\.eml$/);
      // The mailer writes the file, then logs: on a busy machine the line may come a moment after the file.
      await eventually('the logged link', async () =>
        server.logLines.some((line) => typeof line.link === 'string' && line.link.startsWith('https://app.example.com/verify-email?token=')) || undefined,
      );
    } finally {
      await server.close();
    }
  });

  it('serves and stays ready while the SMTP server is down', async () => {
    const catcher = await SmtpCatcher.start();
    const url = catcher.url;
    await catcher.close();
    const server = await startTestServer({ SMTP_URL: url });
    try {
      const client = new ApiClient(server.url);
      expect((await client.request('POST', '/api/v1/auth/register', { json: newAccount() })).status).to.equal(201);
      expect((await client.request('GET', '/health/ready')).status).to.equal(200);
    } finally {
      await server.close();
    }
  });

  it('shuts down within SHUTDOWN_TIMEOUT_MS even while the SMTP server keeps a mail waiting', async () => {
    const catcher = await SmtpCatcher.start();
    catcher.hold = true;
    const server = await startTestServer({ SMTP_URL: catcher.url, SHUTDOWN_TIMEOUT_MS: '300' });
    try {
      expect((await new ApiClient(server.url).request('POST', '/api/v1/auth/register', { json: newAccount() })).status).to.equal(201);
      await eventually('the mail to reach the server', async () => catcher.held.length === 1);

      await server.close();

      expect(server.logLines.some((line) => String(line.msg).includes('leaving the mail being sent'))).to.equal(true);
    } finally {
      for (const release of catcher.held) release();
      await catcher.close();
    }
  });
});
