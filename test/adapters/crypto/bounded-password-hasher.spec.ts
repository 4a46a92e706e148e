import { expect } from 'chai';
import { ServiceUnavailable } from '../../../application/errors.js';
import type { PasswordHasher } from '../../../application/ports/password-hasher.js';
import { BoundedPasswordHasher } from '../../../adapters/crypto/bounded-password-hasher.js';
import { expectRejection } from '../../support/expect-rejection.js';

interface PendingCall {
  readonly kind: 'hash' | 'verify';
  readonly password: string;
  finish(): void;
  fail(error: Error): void;
}

/** A hasher whose every call stays pending until the test finishes it by hand: no timers, no sleeping. */
class HandCrankedHasher implements PasswordHasher {
  readonly pending: PendingCall[] = [];

  hash(password: string): Promise<string> {
    return new Promise((resolve, reject) =>
      this.pending.push({ kind: 'hash', password, finish: () => resolve(`hashed:${password}`), fail: reject }),
    );
  }

  verify(password: string, hash: string): Promise<boolean> {
    return new Promise((resolve, reject) =>
      this.pending.push({ kind: 'verify', password, finish: () => resolve(hash === `hashed:${password}`), fail: reject }),
    );
  }

  /** Finishes the oldest call still running. */
  finishOldest(): void {
    this.pending.shift()!.finish();
  }
}

/** Lets every settled promise's continuations run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BoundedPasswordHasher', () => {
  it('passes hash and verify through to the hasher it wraps', async () => {
    const inner = new HandCrankedHasher();
    const bounded = new BoundedPasswordHasher(inner, { concurrency: 2, queueMax: 0 });
    const hashed = bounded.hash('secret');
    const verified = bounded.verify('secret', 'hashed:secret');
    await settle();
    inner.finishOldest();
    inner.finishOldest();
    expect(await hashed).to.equal('hashed:secret');
    expect(await verified).to.equal(true);
  });

  it('runs at most `concurrency` calls at once and queues the next ones', async () => {
    const inner = new HandCrankedHasher();
    const bounded = new BoundedPasswordHasher(inner, { concurrency: 2, queueMax: 5 });
    const calls = [1, 2, 3, 4].map((n) => bounded.hash(`p${n}`));
    await settle();
    expect(inner.pending.map((c) => c.password)).to.deep.equal(['p1', 'p2']);
    expect(bounded.running).to.equal(2);
    expect(bounded.queued).to.equal(2);

    inner.finishOldest();
    await settle();
    expect(inner.pending.map((c) => c.password)).to.deep.equal(['p2', 'p3']);
    expect(bounded.running).to.equal(2);
    expect(bounded.queued).to.equal(1);

    while (inner.pending.length > 0) {
      inner.finishOldest();
      await settle();
    }
    expect(await Promise.all(calls)).to.deep.equal(['hashed:p1', 'hashed:p2', 'hashed:p3', 'hashed:p4']);
    expect(bounded.running).to.equal(0);
    expect(bounded.queued).to.equal(0);
  });

  it('refuses at once with ServiceUnavailable and the configured Retry-After once the queue is full', async () => {
    const inner = new HandCrankedHasher();
    const bounded = new BoundedPasswordHasher(inner, { concurrency: 1, queueMax: 1, retryAfterSeconds: 3 });
    const running = bounded.verify('a', 'hashed:a');
    const queued = bounded.verify('b', 'hashed:b');
    // Refused while the first call is still running: nothing had to finish for the refusal to arrive.
    const error = (await expectRejection(bounded.verify('c', 'hashed:c'), ServiceUnavailable)) as ServiceUnavailable;
    expect(error.dependency).to.equal('password_hasher');
    expect(error.retryAfterSeconds).to.equal(3);
    expect(inner.pending.map((c) => c.password)).to.deep.equal(['a']);

    inner.finishOldest();
    await settle();
    inner.finishOldest();
    expect(await running).to.equal(true);
    expect(await queued).to.equal(true);
  });

  it('accepts calls again once the queue has room', async () => {
    const inner = new HandCrankedHasher();
    const bounded = new BoundedPasswordHasher(inner, { concurrency: 1, queueMax: 0 });
    const first = bounded.hash('a');
    await expectRejection(bounded.hash('b'), ServiceUnavailable);
    await settle();
    inner.finishOldest();
    await first;
    const again = bounded.hash('c');
    await settle();
    inner.finishOldest();
    expect(await again).to.equal('hashed:c');
  });

  it('tells a refused caller to retry in one second unless configured otherwise', async () => {
    const bounded = new BoundedPasswordHasher(new HandCrankedHasher(), { concurrency: 1, queueMax: 0 });
    void bounded.hash('a');
    const error = (await expectRejection(bounded.hash('b'), ServiceUnavailable)) as ServiceUnavailable;
    expect(error.retryAfterSeconds).to.equal(1);
  });

  it('frees the slot of a call that fails and passes its error on', async () => {
    const inner = new HandCrankedHasher();
    const bounded = new BoundedPasswordHasher(inner, { concurrency: 1, queueMax: 1 });
    const failing = bounded.hash('a');
    const next = bounded.hash('b');
    await settle();
    inner.pending.shift()!.fail(new Error('binding exploded'));
    await expectRejection(failing, Error);
    await settle();
    expect(inner.pending.map((c) => c.password)).to.deep.equal(['b']);
    inner.finishOldest();
    expect(await next).to.equal('hashed:b');
    expect(bounded.running).to.equal(0);
  });

  it('refuses a concurrency below one and a negative queue', () => {
    const inner = new HandCrankedHasher();
    expect(() => new BoundedPasswordHasher(inner, { concurrency: 0, queueMax: 1 })).to.throw(RangeError);
    expect(() => new BoundedPasswordHasher(inner, { concurrency: 1.5, queueMax: 1 })).to.throw(RangeError);
    expect(() => new BoundedPasswordHasher(inner, { concurrency: 1, queueMax: -1 })).to.throw(RangeError);
  });
});
