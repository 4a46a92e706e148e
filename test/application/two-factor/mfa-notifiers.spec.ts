import { expect } from 'chai';
import { AuditMfaNotifier, AuditTrail, FanOutMfaNotifier, type MfaNotifier, type SessionOrigin, type User } from '../../../application/index.js';
import { InMemoryAuditLog } from '../../../adapters/memory/in-memory-audit-log.js';
import { RecordingMfaNotifier } from '../../support/fakes.js';
import { FakeClock } from '../../support/fake-clock.js';
import { ALICE, ORIGIN, useCaseWorld } from '../world.js';

async function alice(): Promise<User> {
  return useCaseWorld().register.execute(ALICE);
}

describe('AuditMfaNotifier', () => {
  it("records each two-factor change as the user's own, with the origin, and the recovery codes left", async () => {
    const log = new InMemoryAuditLog();
    const clock = new FakeClock();
    const notifier = new AuditMfaNotifier(new AuditTrail(log, clock));
    const user = await alice();

    await notifier.enabled(user, ORIGIN);
    clock.advance(1_000);
    await notifier.recoveryCodeUsed(user, 7, ORIGIN);
    clock.advance(1_000);
    await notifier.disabled(user);

    const events = (await log.list({ userId: user.id }, { limit: 10 })).reverse();
    expect(events.map((e) => e.type)).to.deep.equal(['mfa.enabled', 'mfa.recovery_code_used', 'mfa.disabled']);
    expect(events.map((e) => e.actorId)).to.deep.equal([user.id, user.id, user.id]);
    expect(events[0]).to.include({ ip: ORIGIN.ip, userAgent: ORIGIN.userAgent ?? null });
    expect(events[1]!.details).to.deep.equal({ remaining: 7 });
    expect(events[2]).to.include({ ip: null });
  });
});

describe('FanOutMfaNotifier', () => {
  it('tells every notifier, in order', async () => {
    const calls: string[] = [];
    const named = (name: string): MfaNotifier => ({
      enabled: async (user: User, origin?: SessionOrigin) => void calls.push(`${name}:enabled:${user.username.value}:${origin?.ip}`),
      disabled: async (user: User) => void calls.push(`${name}:disabled:${user.username.value}`),
      recoveryCodeUsed: async (user: User, remaining: number) => void calls.push(`${name}:recovery:${remaining}`),
    });
    const fanOut = new FanOutMfaNotifier([named('audit'), named('mail')]);
    const user = await alice();
    await fanOut.enabled(user, ORIGIN);
    await fanOut.recoveryCodeUsed(user, 3);
    await fanOut.disabled(user);
    expect(calls).to.deep.equal([
      `audit:enabled:Alice:${ORIGIN.ip}`,
      `mail:enabled:Alice:${ORIGIN.ip}`,
      'audit:recovery:3',
      'mail:recovery:3',
      'audit:disabled:Alice',
      'mail:disabled:Alice',
    ]);
  });

  it('still tells the notifiers after one that fails, then raises its failure', async () => {
    const after = new RecordingMfaNotifier();
    const failing: MfaNotifier = {
      enabled: () => Promise.reject(new Error('audit store down')),
      disabled: () => Promise.reject(new Error('audit store down')),
      recoveryCodeUsed: () => Promise.reject(new Error('audit store down')),
    };
    const user = await alice();
    await new FanOutMfaNotifier([failing, after]).disabled(user).then(
      () => expect.fail('a failed notifier was hidden'),
      (error: unknown) => expect((error as Error).message).to.equal('audit store down'),
    );
    expect(after.events).to.deep.equal(['disabled:Alice']);
  });
});
