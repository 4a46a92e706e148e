import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { defaultMailTemplatesDirectory, FileMailRenderer } from '../../../adapters/templates/file-mail-renderer.js';
import { MAIL_KINDS } from '../../../application/index.js';

describe('FileMailRenderer', () => {
  const shipped = new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com/');

  it('renders every kind of mail from the shipped templates, with text, HTML and a subject', async () => {
    for (const kind of MAIL_KINDS) {
      const mail = await shipped.render({ kind, to: 'a@example.com', params: { username: 'alice', new_email: 'b@example.com', valid_for: '24 hours', remaining: '7', passkey_name: 'Laptop' }, token: 'tok' });
      expect(mail.subject, kind).to.match(/\S/);
      expect(mail.text, kind).to.include('alice');
      expect(mail.html, kind).to.match(/^<!doctype html>/);
      expect(mail.text, kind).not.to.include('{{');
      expect(mail.html, kind).not.to.include('{{');
    }
  });

  it('builds links from APP_URL with the token as the `token` query parameter', async () => {
    const links = await Promise.all(
      (['verify_email', 'confirm_email_change', 'reset_password', 'email_changed'] as const).map(async (kind) =>
        (await shipped.render({ kind, to: 'a@example.com', params: { username: 'a', new_email: 'b@example.com', valid_for: '1 day' }, token: 'a+b/c' })).link,
      ),
    );
    expect(links).to.deep.equal([
      'https://app.example.com/verify-email?token=a%2Bb%2Fc',
      'https://app.example.com/verify-email?token=a%2Bb%2Fc',
      'https://app.example.com/reset-password?token=a%2Bb%2Fc',
      'https://app.example.com/revert-email?token=a%2Bb%2Fc',
    ]);
    const verify = await shipped.render({ kind: 'verify_email', to: 'a@example.com', params: { username: 'a', valid_for: '1 day' }, token: 'tok' });
    expect(verify.text).to.include('https://app.example.com/verify-email?token=tok');
    expect(verify.html).to.include('href="https://app.example.com/verify-email?token=tok"');
  });

  it('escapes user data in HTML and keeps it out of the subject\'s header lines', async () => {
    const mail = await shipped.render({
      kind: 'email_changed',
      to: 'a@example.com',
      params: { username: '<script>alert("x")</script>', new_email: 'b@example.com', valid_for: '7 days' },
      token: 'tok',
    });
    expect(mail.html).not.to.include('<script>');
    expect(mail.html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.text).to.include('<script>alert("x")</script>');
  });

  it('refuses a link mail without a token', async () => {
    const error = await shipped.render({ kind: 'reset_password', to: 'a@example.com', params: { username: 'a', valid_for: '1 day' }, token: undefined }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
  });

  describe('with a team\'s own templates', () => {
    let directory: string;
    beforeEach(async () => {
      directory = await mkdtemp(join(tmpdir(), 'auth-templates-'));
    });
    afterEach(async () => rm(directory, { recursive: true, force: true }));

    it('reads them from the folder given, at each render', async () => {
      const renderer = new FileMailRenderer(directory, 'https://app.example.com');
      await writeFile(join(directory, 'password_changed.txt'), 'Subject: Hi {{username}}\n\nFirst version\n');
      await writeFile(join(directory, 'password_changed.html'), '<p>{{username}}</p>');
      const first = await renderer.render({ kind: 'password_changed', to: 'a@example.com', params: { username: 'alice' }, token: undefined });
      expect(first).to.deep.include({ subject: 'Hi alice', text: 'First version\n', html: '<p>alice</p>' });

      await writeFile(join(directory, 'password_changed.txt'), 'Subject: Hello\n\nSecond version\n');
      expect((await renderer.render({ kind: 'password_changed', to: 'a@example.com', params: { username: 'alice' }, token: undefined })).text).to.equal('Second version\n');
    });

    it('refuses a placeholder nobody supplies, and a text template without a subject line', async () => {
      const renderer = new FileMailRenderer(directory, 'https://app.example.com');
      await writeFile(join(directory, 'password_changed.txt'), 'Subject: x\n\n{{nickname}}\n');
      await writeFile(join(directory, 'password_changed.html'), '<p></p>');
      const missing = await renderer.render({ kind: 'password_changed', to: 'a@example.com', params: { username: 'a' }, token: undefined }).catch((e: unknown) => e);
      expect((missing as Error).message).to.include('{{nickname}}');

      await writeFile(join(directory, 'password_changed.txt'), 'Hello\n');
      const noSubject = await renderer.render({ kind: 'password_changed', to: 'a@example.com', params: { username: 'a' }, token: undefined }).catch((e: unknown) => e);
      expect((noSubject as Error).message).to.include('Subject:');
    });
  });
});
