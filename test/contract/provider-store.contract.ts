import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { UserRepository } from '../../application/ports/user-repository.js';
import type { ProviderStore } from '../../application/provider/provider-store.js';
import { registeredUser } from './registered-user.js';

export interface ProviderStoreUnderTest {
  readonly store: ProviderStore;
  /** The same store as another instance of the service sees it; the same object in memory. */
  readonly otherInstance: ProviderStore;
  readonly users: UserRepository;
  close(): Promise<void>;
}

const T0 = new Date('2026-12-01T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const id = () => randomBytes(8).toString('hex');

/** The same specification for every `ProviderStore`: run unchanged on memory, PGlite and PostgreSQL. */
export function providerStoreContract(name: string, factory: () => Promise<ProviderStoreUnderTest>): void {
  describe(`${name} (ProviderStore contract)`, function () {
    let world: ProviderStoreUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    it('finds what was written, from another instance too, payload intact', async () => {
      const key = id();
      const payload = { jti: key, kind: 'AccessToken', scope: 'openid email', nested: { list: [1, 'two', null] } };
      await world.store.upsert('AccessToken', key, { payload, expiresAt: later(60_000) });
      const found = await world.otherInstance.find('AccessToken', key, T0);
      expect(found).to.deep.equal({ payload, expiresAt: later(60_000), consumedAt: undefined });
      expect(await world.store.find('RefreshToken', key, T0), 'another model').to.equal(undefined);
    });

    it('keeps no reference to the caller objects', async () => {
      const key = id();
      const payload: Record<string, unknown> = { kind: 'Grant', scope: 'openid' };
      await world.store.upsert('Grant', key, { payload });
      payload.scope = 'changed';
      expect((await world.store.find('Grant', key, T0))?.payload.scope).to.equal('openid');
    });

    it('answers nothing for an expired entry, and an entry with no expiry never expires', async () => {
      const short = id();
      const forever = id();
      await world.store.upsert('Session', short, { payload: { a: 1 }, expiresAt: later(1_000) });
      await world.store.upsert('Client', forever, { payload: { client_id: forever } });
      expect(await world.store.find('Session', short, later(999))).to.not.equal(undefined);
      expect(await world.store.find('Session', short, later(1_000))).to.equal(undefined);
      expect((await world.store.find('Client', forever, later(10 * 365 * 86_400_000)))?.expiresAt).to.equal(undefined);
    });

    it('replaces an entry on a second upsert, clearing its consumption', async () => {
      const key = id();
      await world.store.upsert('RefreshToken', key, { payload: { v: 1 }, expiresAt: later(60_000) });
      await world.store.consume('RefreshToken', key, later(5_000));
      expect((await world.otherInstance.find('RefreshToken', key, later(6_000)))?.consumedAt).to.deep.equal(later(5_000));
      await world.store.upsert('RefreshToken', key, { payload: { v: 2 }, expiresAt: later(120_000) });
      expect(await world.store.find('RefreshToken', key, later(6_000))).to.deep.equal({ payload: { v: 2 }, expiresAt: later(120_000), consumedAt: undefined });
    });

    it('keeps the first of two inserts of the same key, and answers it to both', async () => {
      const key = id();
      const [first, second] = [await world.store.insertIfAbsent('Keys', key, { payload: { keys: 'A' } }), await world.otherInstance.insertIfAbsent('Keys', key, { payload: { keys: 'B' } })];
      expect(first.payload).to.deep.equal({ keys: 'A' });
      expect(second.payload).to.deep.equal({ keys: 'A' });
    });

    it('finds sessions by uid and device codes by user code, within their model', async () => {
      const uid = id();
      const code = id();
      await world.store.upsert('Session', id(), { payload: { uid }, uid, expiresAt: later(60_000) });
      await world.store.upsert('DeviceCode', id(), { payload: { userCode: code }, userCode: code, expiresAt: later(60_000) });
      expect((await world.otherInstance.findByUid('Session', uid, T0))?.payload).to.deep.equal({ uid });
      expect((await world.otherInstance.findByUserCode('DeviceCode', code, T0))?.payload).to.deep.equal({ userCode: code });
      expect(await world.store.findByUid('Interaction', uid, T0)).to.equal(undefined);
      expect(await world.store.findByUid('Session', uid, later(60_000)), 'expired').to.equal(undefined);
    });

    it('destroys one entry', async () => {
      const key = id();
      await world.store.upsert('AuthorizationCode', key, { payload: {}, expiresAt: later(60_000) });
      await world.otherInstance.destroy('AuthorizationCode', key);
      expect(await world.store.find('AuthorizationCode', key, T0)).to.equal(undefined);
    });

    it('revokes every entry of a grant, of any model, and nothing of another grant', async () => {
      const grant = id();
      const other = id();
      const [code, access, refresh, kept] = [id(), id(), id(), id()];
      await world.store.upsert('AuthorizationCode', code, { payload: {}, grantId: grant, expiresAt: later(60_000) });
      await world.store.upsert('AccessToken', access, { payload: {}, grantId: grant, expiresAt: later(60_000) });
      await world.store.upsert('RefreshToken', refresh, { payload: {}, grantId: grant, expiresAt: later(60_000) });
      await world.store.upsert('AccessToken', kept, { payload: {}, grantId: other, expiresAt: later(60_000) });
      await world.otherInstance.revokeByGrantId(grant);
      for (const [model, key] of [['AuthorizationCode', code], ['AccessToken', access], ['RefreshToken', refresh]] as const) {
        expect(await world.store.find(model, key, T0), model).to.equal(undefined);
      }
      expect(await world.store.find('AccessToken', kept, T0)).to.not.equal(undefined);
    });

    it("lists a model's live entries, and an account's, oldest id first", async () => {
      const model = `Test${id()}`;
      const alice = await registeredUser(world.users, T0, 'pa');
      const bob = await registeredUser(world.users, T0, 'pb');
      await world.store.upsert(model, 'b', { payload: { n: 'b' }, accountId: alice.id, expiresAt: later(60_000) });
      await world.store.upsert(model, 'a', { payload: { n: 'a' }, accountId: alice.id });
      await world.store.upsert(model, 'c', { payload: { n: 'c' }, accountId: bob.id });
      await world.store.upsert(model, 'gone', { payload: { n: 'gone' }, accountId: alice.id, expiresAt: later(1) });
      expect((await world.otherInstance.listByModel(model, later(10))).map((e) => e.id)).to.deep.equal(['a', 'b', 'c']);
      expect((await world.otherInstance.listByAccount(model, alice.id, later(10))).map((e) => [e.id, e.payload.n])).to.deep.equal([
        ['a', 'a'],
        ['b', 'b'],
      ]);
    });

    it("destroys everything issued to a client, and nothing of another client's", async () => {
      const [mine, theirs] = [id(), id()];
      const [code, token, grant, kept] = [id(), id(), id(), id()];
      await world.store.upsert('AuthorizationCode', code, { payload: {}, clientId: mine, expiresAt: later(60_000) });
      await world.store.upsert('ClientCredentials', token, { payload: {}, clientId: mine, expiresAt: later(60_000) });
      await world.store.upsert('Grant', grant, { payload: {}, clientId: mine, expiresAt: later(60_000) });
      await world.store.upsert('ClientCredentials', kept, { payload: {}, clientId: theirs, expiresAt: later(60_000) });
      expect(await world.otherInstance.destroyByClient(mine)).to.equal(3);
      expect(await world.store.find('ClientCredentials', token, T0)).to.equal(undefined);
      expect(await world.store.find('ClientCredentials', kept, T0)).to.not.equal(undefined);
    });

    it("destroys everything of an account, and nobody else's", async () => {
      const alice = await registeredUser(world.users, T0, 'pc');
      const bob = await registeredUser(world.users, T0, 'pd');
      const [s, g, t, kept] = [id(), id(), id(), id()];
      await world.store.upsert('Session', s, { payload: {}, accountId: alice.id, expiresAt: later(60_000) });
      await world.store.upsert('Grant', g, { payload: {}, accountId: alice.id, expiresAt: later(60_000) });
      await world.store.upsert('RefreshToken', t, { payload: {}, accountId: alice.id, grantId: g, expiresAt: later(60_000) });
      await world.store.upsert('Grant', kept, { payload: {}, accountId: bob.id, expiresAt: later(60_000) });
      expect(await world.otherInstance.destroyByAccount(alice.id)).to.equal(3);
      expect(await world.store.find('Session', s, T0)).to.equal(undefined);
      expect(await world.store.find('RefreshToken', t, T0)).to.equal(undefined);
      expect(await world.store.find('Grant', kept, T0)).to.not.equal(undefined);
    });

    it('purges expired entries in batches no larger than asked, keeping live ones and those with no expiry', async () => {
      const model = `Purge${id()}`;
      for (let i = 0; i < 5; i += 1) await world.store.upsert(model, `old${i}`, { payload: {}, expiresAt: later(i) });
      await world.store.upsert(model, 'live', { payload: {}, expiresAt: later(3_600_000) });
      await world.store.upsert(model, 'forever', { payload: {} });
      const cutoff = later(60_000);
      // Other suites may share the database: count only until this model's old entries are gone.
      let removed = 0;
      for (let round = 0; round < 1_000 && (await world.store.listByModel(model, T0)).some((e) => e.id.startsWith('old')); round += 1) {
        const batch = await world.otherInstance.purgeExpired(cutoff, 2);
        expect(batch).to.be.at.most(2);
        removed += batch;
      }
      expect(removed).to.be.at.least(5);
      expect((await world.store.listByModel(model, T0)).map((e) => e.id)).to.deep.equal(['forever', 'live']);
    });
  });
}
