import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { ApiClient, newAccount, type Exchange } from '../support/http-client.js';
import type { TestServer } from '../support/test-server.js';
// Importing the suite also checks every response here against the OpenAPI document.
import { TEST_SECRET, type ServerFactory } from './http-api.suite.js';

interface UserBody {
  id: string;
  email: string;
  username: string;
  is_active: boolean;
  is_superuser: boolean;
}

interface EventBody {
  id: string;
  type: string;
  at: string;
  user_id: string | null;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

interface PageBody<T> {
  items: T[];
  next_cursor?: string;
}

const USER_AGENT = 'administration-suite/1.0';

function expectStatus(exchange: Exchange, status: number): void {
  expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.text}`).to.equal(status);
}

function fieldsOf(exchange: Exchange): string[] {
  return ((exchange.body as { errors?: { path: string }[] }).errors ?? []).map((e) => e.path);
}

/** A server with a first superuser from configuration, as a deployment would start it. */
function superuserEnv() {
  const root = { email: `root-${randomBytes(4).toString('hex')}@example.com`, username: `root_${randomBytes(4).toString('hex')}`, password: 'the operators own long secret' };
  const env = { SECRET_KEY: TEST_SECRET, FIRST_SUPERUSER_EMAIL: root.email, FIRST_SUPERUSER_USERNAME: root.username, FIRST_SUPERUSER_PASSWORD: root.password };
  return { root, env };
}

/**
 * Administration and the security history, over a real listening server. Run once per store; each test makes
 * its own accounts; the superuser from FIRST_SUPERUSER_* is shared and never demoted by these tests.
 */
export function administrationSuite(name: string, startServer: ServerFactory): void {
  describe(`Administration over HTTP (${name})`, function () {
    let server: TestServer;
    let admin: ApiClient;
    let adminToken: string;
    let adminId: string;
    let client: ApiClient;

    async function logIn(as: ApiClient, username: string, password: string): Promise<string> {
      const response = await as.request('POST', '/api/v1/auth/login', { form: { username, password }, headers: { 'User-Agent': USER_AGENT } });
      expectStatus(response, 200);
      return (response.body as { access_token: string }).access_token;
    }

    async function registeredWithToken(account = newAccount()) {
      const registered = await client.request('POST', '/api/v1/auth/register', { json: account });
      expectStatus(registered, 201);
      return { account, user: registered.body as UserBody, token: await logIn(client, account.username, account.password) };
    }

    const asAdmin = (method: string, path: string, json?: unknown) => admin.request(method, path, { token: adminToken, ...(json === undefined ? {} : { json }) });

    async function allPages<T>(path: string, limit: number): Promise<T[][]> {
      const pages: T[][] = [];
      let cursor: string | undefined;
      do {
        const separator = path.includes('?') ? '&' : '?';
        const response = await asAdmin('GET', `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expectStatus(response, 200);
        const page = response.body as PageBody<T>;
        pages.push(page.items);
        cursor = page.next_cursor;
        if (cursor === undefined) expect(page).not.to.have.property('next_cursor');
        expect(pages.length, 'pages never end').to.be.below(1000);
      } while (cursor !== undefined);
      return pages;
    }

    before(async function () {
      const { root, env } = superuserEnv();
      server = await startServer(env);
      admin = new ApiClient(server.url);
      adminToken = await logIn(admin, root.username, root.password);
      adminId = ((await asAdmin('GET', '/api/v1/users/me')).body as UserBody).id;
    });
    after(async () => server?.close());
    beforeEach(() => {
      client = new ApiClient(server.url);
    });

    describe('who may call', () => {
      it('refuses every administration route to a plain user with 403, and changes nothing', async () => {
        const { user, token } = await registeredWithToken();
        const target = (await registeredWithToken()).user;
        const routes: [string, string, unknown?][] = [
          ['GET', '/api/v1/users'],
          ['GET', `/api/v1/users/${target.id}`],
          ['PATCH', `/api/v1/users/${target.id}`, { is_active: false }],
          ['PATCH', `/api/v1/users/${user.id}`, { is_superuser: true }],
          ['DELETE', `/api/v1/users/${target.id}`],
          ['GET', `/api/v1/users/${target.id}/sessions`],
          ['DELETE', `/api/v1/users/${target.id}/sessions`],
          ['GET', '/api/v1/audit-events'],
        ];
        for (const [method, path, json] of routes) {
          const response = await client.request(method, path, { token, ...(json === undefined ? {} : { json }) });
          expectStatus(response, 403);
          expect(response.headers.get('cache-control')).to.equal('no-store');
        }
        const still = await asAdmin('GET', `/api/v1/users/${target.id}`);
        expect(still.body).to.include({ is_active: true, is_superuser: false });
        expect((await asAdmin('GET', `/api/v1/users/${user.id}`)).body).to.include({ is_superuser: false });
        expect((await asAdmin('GET', `/api/v1/users/${target.id}/sessions`)).body).to.have.length(1);
      });

      it('refuses every administration route, and the own history, without a token with 401', async () => {
        const { user } = await registeredWithToken();
        const routes: [string, string][] = [
          ['GET', '/api/v1/users'],
          ['GET', `/api/v1/users/${user.id}`],
          ['PATCH', `/api/v1/users/${user.id}`],
          ['DELETE', `/api/v1/users/${user.id}`],
          ['GET', `/api/v1/users/${user.id}/sessions`],
          ['DELETE', `/api/v1/users/${user.id}/sessions`],
          ['GET', '/api/v1/audit-events'],
          ['GET', '/api/v1/users/me/events'],
        ];
        for (const [method, path] of routes) {
          const response = await client.request(method, path, method === 'PATCH' ? { json: { is_active: false } } : {});
          expectStatus(response, 401);
          expect(response.headers.get('www-authenticate')).to.equal('Bearer error="invalid_token"');
        }
        expect((await asAdmin('GET', `/api/v1/users/${user.id}`)).body).to.include({ is_active: true });
      });

      it('never takes `me` for an id: /users/me stays the current user, and a non-UUID id is 404', async () => {
        const me = await asAdmin('GET', '/api/v1/users/me');
        expectStatus(me, 200);
        expect(me.body).to.include({ id: adminId, is_superuser: true });
        const sessions = await asAdmin('GET', '/api/v1/users/me/sessions');
        expectStatus(sessions, 200);
        expect((sessions.body as { current: boolean }[]).some((s) => s.current)).to.equal(true);
        // The same sessions by id: `current` still marks the caller's own.
        const byId = await asAdmin('GET', `/api/v1/users/${adminId}/sessions`);
        expect(byId.body).to.deep.equal(sessions.body);
        // No route ends all of one's own sessions this way; the admin route does not take `me` for an id.
        expectStatus(await asAdmin('DELETE', '/api/v1/users/me/sessions'), 404);
        for (const id of ['not-a-uuid', '0193B6C2-7C1E-7D3A-9A57-0C4F2B1E8A90x']) expectStatus(await asAdmin('GET', `/api/v1/users/${id}`), 404);
        expectStatus(await asAdmin('GET', '/api/v1/users/0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90'), 404);
        expectStatus(await asAdmin('DELETE', '/api/v1/users/0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90'), 404);
        expectStatus(await asAdmin('PATCH', '/api/v1/users/0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90', { is_active: false }), 404);
        expectStatus(await asAdmin('GET', '/api/v1/users/0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90/sessions'), 404);
        expectStatus(await asAdmin('DELETE', '/api/v1/users/0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90/sessions'), 404);
      });
    });

    describe('GET /users', () => {
      it('finds a user by an email or a username prefix, in any case', async () => {
        const tag = randomBytes(5).toString('hex');
        const { user } = await registeredWithToken(newAccount({ email: `mail-${tag}@example.com`, username: `name_${tag}` }));
        for (const q of [`MAIL-${tag}`, `mail-${tag}@EXAMPLE`, `Name_${tag.slice(0, 6)}`]) {
          const response = await asAdmin('GET', `/api/v1/users?q=${encodeURIComponent(q)}`);
          expectStatus(response, 200);
          const page = response.body as PageBody<UserBody>;
          expect(page.items.map((u) => u.id), q).to.deep.equal([user.id]);
          expect(page).not.to.have.property('next_cursor');
        }
        const none = await asAdmin('GET', `/api/v1/users?q=nobody-${tag}`);
        expect(none.body).to.deep.equal({ items: [] });
      });

      it('pages through a search with limit=2: 2, 2, 1, each user once, oldest first', async () => {
        const tag = randomBytes(5).toString('hex');
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await registeredWithToken(newAccount({ username: `page_${tag}_${i}` }))).user.id);
        const pages = await allPages<UserBody>(`/api/v1/users?q=page_${tag}`, 2);
        expect(pages.map((page) => page.length)).to.deep.equal([2, 2, 1]);
        expect(pages.flat().map((u) => u.id)).to.deep.equal(ids);
      });

      it('pages through every user with limit=2 without repeating one', async () => {
        const mine = [(await registeredWithToken()).user.id, (await registeredWithToken()).user.id, (await registeredWithToken()).user.id];
        const pages = await allPages<UserBody>('/api/v1/users', 2);
        const seen = pages.flat().map((u) => u.id);
        expect(pages.every((page) => page.length >= 1 && page.length <= 2)).to.equal(true);
        expect(new Set(seen).size, 'no user twice').to.equal(seen.length);
        expect(seen).to.include.members([adminId, ...mine]);
        expect(seen).to.deep.equal([...seen].sort(), 'oldest first');
      });

      it('refuses a limit out of 1..100 and a cursor it did not hand out with 422', async () => {
        for (const limit of ['0', '101', 'ten']) expect(fieldsOf(await asAdmin('GET', `/api/v1/users?limit=${limit}`))).to.deep.equal(['limit']);
        for (const cursor of ['bm90IGEgY3Vyc29y', 'not+base64', '']) {
          const response = await asAdmin('GET', `/api/v1/users?cursor=${encodeURIComponent(cursor)}`);
          expectStatus(response, 422);
          expect(fieldsOf(response)).to.deep.equal(['cursor']);
        }
        // A cursor of one search does not continue another.
        await registeredWithToken();
        await registeredWithToken();
        const first = (await asAdmin('GET', '/api/v1/users?limit=1')).body as PageBody<UserBody>;
        expect(first.next_cursor).to.be.a('string');
        expectStatus(await asAdmin('GET', `/api/v1/users?q=user&cursor=${first.next_cursor}`), 422);
        expectStatus(await asAdmin('GET', `/api/v1/audit-events?cursor=${first.next_cursor}`), 422);
      });
    });

    describe('PATCH and DELETE /users/{id}', () => {
      it("deactivates a user, whose token is refused at once; reactivated, it logs in again", async () => {
        const { account, user, token } = await registeredWithToken();
        expectStatus(await client.request('GET', '/api/v1/users/me', { token }), 200);

        const off = await asAdmin('PATCH', `/api/v1/users/${user.id}`, { is_active: false });
        expectStatus(off, 200);
        expect(off.body).to.include({ id: user.id, is_active: false });
        expectStatus(await client.request('GET', '/api/v1/users/me', { token }), 401);
        expectStatus(await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } }), 403);
        expect((await asAdmin('GET', `/api/v1/users/${user.id}/sessions`)).body).to.deep.equal([]);

        const on = await asAdmin('PATCH', `/api/v1/users/${user.id}`, { is_active: true });
        expect(on.body).to.include({ is_active: true });
        // The old session stays ended; a new log-in works.
        expectStatus(await client.request('GET', '/api/v1/users/me', { token }), 401);
        const again = await logIn(client, account.username, account.password);
        expectStatus(await client.request('GET', '/api/v1/users/me', { token: again }), 200);
      });

      it('changes the email, username and password: the old password and every earlier token stop working', async () => {
        const { account, user, token } = await registeredWithToken();
        const changed = newAccount();
        const response = await asAdmin('PATCH', `/api/v1/users/${user.id}`, { email: changed.email, username: changed.username, password: changed.password });
        expectStatus(response, 200);
        expect(response.body).to.include({ email: changed.email, username: changed.username, is_active: true });
        expect(response.text).not.to.include(changed.password);
        expectStatus(await client.request('GET', '/api/v1/users/me', { token }), 401);
        expectStatus(await client.request('POST', '/api/v1/auth/login', { form: { username: changed.username, password: account.password } }), 401);
        await logIn(client, changed.username, changed.password);
      });

      it('refuses a taken email or username with 409 and a weak password with 422, changing nothing', async () => {
        const { user } = await registeredWithToken();
        const other = (await registeredWithToken()).account;
        expectStatus(await asAdmin('PATCH', `/api/v1/users/${user.id}`, { email: other.email.toUpperCase() }), 409);
        expectStatus(await asAdmin('PATCH', `/api/v1/users/${user.id}`, { username: other.username }), 409);
        expect(fieldsOf(await asAdmin('PATCH', `/api/v1/users/${user.id}`, { password: 'password123' }))).to.deep.equal(['password']);
        expect(fieldsOf(await asAdmin('PATCH', `/api/v1/users/${user.id}`, { is_active: 'no' }))).to.deep.equal(['is_active']);
        expect((await asAdmin('GET', `/api/v1/users/${user.id}`)).body).to.deep.include({ email: user.email, username: user.username, is_active: true });
      });

      it('promotes a user, who may then administer, and demotes it again', async () => {
        const { user, token } = await registeredWithToken();
        expect((await asAdmin('PATCH', `/api/v1/users/${user.id}`, { is_superuser: true })).body).to.include({ is_superuser: true });
        expectStatus(await client.request('GET', `/api/v1/users/${adminId}`, { token }), 200);
        expect((await asAdmin('PATCH', `/api/v1/users/${user.id}`, { is_superuser: false })).body).to.include({ is_superuser: false });
        expectStatus(await client.request('GET', `/api/v1/users/${adminId}`, { token }), 403);
      });

      it('deletes a user: its token is refused, it is gone, and its name is free again', async () => {
        const { account, user, token } = await registeredWithToken();
        expectStatus(await asAdmin('DELETE', `/api/v1/users/${user.id}`), 204);
        expectStatus(await client.request('GET', '/api/v1/users/me', { token }), 401);
        expectStatus(await asAdmin('GET', `/api/v1/users/${user.id}`), 404);
        expectStatus(await asAdmin('DELETE', `/api/v1/users/${user.id}`), 404);
        await registeredWithToken(account);
      });
    });

    describe('sessions of a user', () => {
      it("lists a user's open sessions and ends them all: its tokens are refused at once", async () => {
        const { account, user, token } = await registeredWithToken();
        const second = await logIn(client, account.username, account.password);
        const listed = await asAdmin('GET', `/api/v1/users/${user.id}/sessions`);
        expectStatus(listed, 200);
        const sessions = listed.body as { user_agent: string; ip: string; current: boolean }[];
        expect(sessions).to.have.length(2);
        for (const session of sessions) expect(session).to.include({ user_agent: USER_AGENT, ip: client.ip, current: false });

        expectStatus(await asAdmin('DELETE', `/api/v1/users/${user.id}/sessions`), 204);
        for (const t of [token, second]) expectStatus(await client.request('GET', '/api/v1/users/me', { token: t }), 401);
        expect((await asAdmin('GET', `/api/v1/users/${user.id}/sessions`)).body).to.deep.equal([]);
        const ended = (await asAdmin('GET', `/api/v1/audit-events?user_id=${user.id}&type=session.ended`)).body as PageBody<EventBody>;
        expect(ended.items).to.have.length(1);
        expect(ended.items[0]).to.deep.include({ actor_id: adminId, ip: admin.ip, details: { sessions: 2, scope: 'all' } });
      });
    });

    describe('the security history', () => {
      it("shows a user its own log-ins, with address and user agent, newest first, and nobody else's", async () => {
        const { account, user, token } = await registeredWithToken();
        expectStatus(await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: 'not the password' } }), 401);
        const other = await registeredWithToken();

        const response = await client.request('GET', '/api/v1/users/me/events', { token });
        expectStatus(response, 200);
        expect(response.headers.get('cache-control')).to.equal('no-store');
        const events = (response.body as PageBody<EventBody>).items;
        expect(events.map((e) => e.type)).to.deep.equal(['login.failed', 'login.succeeded', 'user.registered']);
        expect(events.every((e) => e.user_id === user.id)).to.equal(true);
        expect(events[1]).to.deep.include({ actor_id: user.id, ip: client.ip, user_agent: USER_AGENT });
        expect(events[0]).to.deep.include({ actor_id: null, ip: client.ip });
        expect(response.text).not.to.include(account.password);
        expect(response.text).not.to.include(other.user.id);
      });

      it('pages through the own history with limit=1, and refuses a cursor of another user with 422', async () => {
        const { token } = await registeredWithToken();
        const pages: EventBody[][] = [];
        let cursor: string | undefined;
        do {
          const response = await client.request('GET', `/api/v1/users/me/events?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token });
          expectStatus(response, 200);
          pages.push((response.body as PageBody<EventBody>).items);
          cursor = (response.body as PageBody<EventBody>).next_cursor;
        } while (cursor !== undefined && pages.length < 10);
        expect(pages.flat().map((e) => e.type)).to.deep.equal(['login.succeeded', 'user.registered']);

        const first = (await client.request('GET', '/api/v1/users/me/events?limit=1', { token })).body as PageBody<EventBody>;
        const other = await registeredWithToken();
        const refused = await client.request('GET', `/api/v1/users/me/events?cursor=${first.next_cursor}`, { token: other.token });
        expectStatus(refused, 422);
        expect(fieldsOf(refused)).to.deep.equal(['cursor']);
      });

      it("shows an administrator's change in GET /audit-events, with who did it and from where", async () => {
        const { user } = await registeredWithToken();
        const renamed = newAccount().username;
        expectStatus(await asAdmin('PATCH', `/api/v1/users/${user.id}`, { username: renamed }), 200);

        const response = await asAdmin('GET', `/api/v1/audit-events?user_id=${user.id}&type=admin.user_updated`);
        expectStatus(response, 200);
        const events = (response.body as PageBody<EventBody>).items;
        expect(events).to.have.length(1);
        expect(events[0]).to.deep.include({
          type: 'admin.user_updated',
          user_id: user.id,
          actor_id: adminId,
          ip: admin.ip,
          details: { fields: ['username'], is_active: true, is_superuser: false },
        });
        // Unfiltered, the newest events come first and include it.
        const latest = (await asAdmin('GET', '/api/v1/audit-events?limit=100')).body as PageBody<EventBody>;
        expect(latest.items.map((e) => e.id)).to.include(events[0]!.id);
        expect(latest.items.map((e) => e.id)).to.deep.equal(latest.items.map((e) => e.id).sort().reverse());
        // And the user sees it in its own history.
        const own = (await asAdmin('GET', `/api/v1/audit-events?user_id=${user.id}`)).body as PageBody<EventBody>;
        expect(own.items.map((e) => e.type)).to.deep.equal(['admin.user_updated', 'login.succeeded', 'user.registered']);
      });

      it('refuses an unknown event type, a user_id that is no UUID, and a bad cursor with 422', async () => {
        for (const [query, field] of [
          ['type=login.maybe', 'type'],
          ['type=', 'type'],
          ['user_id=me', 'user_id'],
          ['cursor=bm90IGEgY3Vyc29y', 'cursor'],
          ['limit=0', 'limit'],
        ] as const) {
          const response = await asAdmin('GET', `/api/v1/audit-events?${query}`);
          expectStatus(response, 422);
          expect(fieldsOf(response), query).to.deep.equal([field]);
        }
      });
    });

    describe('is_superuser through /users/me', () => {
      for (const method of ['PUT', 'PATCH']) {
        it(`is ignored by ${method} /users/me: a user cannot promote itself`, async () => {
          const { user, token } = await registeredWithToken();
          const response = await client.request(method, '/api/v1/users/me', { token, json: { is_superuser: true, is_active: true } });
          expectStatus(response, 200);
          expect(response.body).to.include({ id: user.id, is_superuser: false });
          expectStatus(await client.request('GET', '/api/v1/users', { token }), 403);
          expect((await asAdmin('GET', `/api/v1/users/${user.id}`)).body).to.include({ is_superuser: false });
        });
      }
    });

    describe('the last active superuser', function () {
      let own: TestServer;
      let rootClient: ApiClient;
      let rootToken: string;
      let rootId: string;

      // Its own server: "the last" depends on every other superuser, which the shared server's tests may create.
      before(async () => {
        const { root, env } = superuserEnv();
        own = await startServer(env);
        rootClient = new ApiClient(own.url);
        rootToken = await logIn(rootClient, root.username, root.password);
        rootId = ((await rootClient.request('GET', '/api/v1/users/me', { token: rootToken })).body as UserBody).id;
      });
      after(async () => own?.close());

      it('cannot be demoted, deactivated or deleted (409) until another superuser exists', async () => {
        const asRoot = (method: string, path: string, json?: unknown) => rootClient.request(method, path, { token: rootToken, ...(json === undefined ? {} : { json }) });
        for (const [method, path, json] of [
          ['PATCH', `/api/v1/users/${rootId}`, { is_superuser: false }],
          ['PATCH', `/api/v1/users/${rootId}`, { is_active: false }],
          ['DELETE', `/api/v1/users/${rootId}`, undefined],
          ['DELETE', '/api/v1/users/me', undefined],
        ] as const) {
          const response = await asRoot(method, path, json);
          expectStatus(response, 409);
          expect((response.body as { detail: string }).detail).to.match(/last active superuser/);
        }
        expect((await asRoot('GET', '/api/v1/users/me')).body).to.include({ is_active: true, is_superuser: true });

        const deputy = newAccount();
        const registered = await rootClient.request('POST', '/api/v1/auth/register', { json: deputy });
        expectStatus(registered, 201);
        expectStatus(await asRoot('PATCH', `/api/v1/users/${(registered.body as UserBody).id}`, { is_superuser: true }), 200);
        const demoted = await asRoot('PATCH', `/api/v1/users/${rootId}`, { is_superuser: false });
        expectStatus(demoted, 200);
        expect(demoted.body).to.include({ is_superuser: false });
      });
    });
  });
}
