import { expect } from 'chai';
import { Container, ContainerModule } from 'inversify';
import { InMemorySessionRepository } from '../../adapters/memory/in-memory-session-repository.js';
import { InMemoryUserRepository } from '../../adapters/memory/in-memory-user-repository.js';
import { ListSessions, type Clock, type SessionRepository } from '../../application/index.js';
import { TOKENS } from '../../bootstrap/tokens.js';
import { FakeClock } from '../support/fake-clock.js';

/**
 * The compile-time half lives in the `@ts-expect-error` lines: `npm run typecheck` fails the day a swapped token
 * list compiles again, because the directive then has no error to expect.
 */
describe('Typed service identifiers', () => {
  const ports = new ContainerModule(({ bind }) => {
    bind(TOKENS.Clock).toConstantValue(new FakeClock());
    bind(TOKENS.SessionRepository).toConstantValue(new InMemorySessionRepository(new InMemoryUserRepository()));
  });

  it('resolve a factory whose tokens match its parameters, to the type the token names', async () => {
    const container = new Container({ defaultScope: 'Singleton' });
    await container.load(
      ports,
      new ContainerModule(({ bind }) => {
        bind(TOKENS.ListSessions).toResolvedValue((sessions, clock) => new ListSessions(sessions, clock), [TOKENS.SessionRepository, TOKENS.Clock]);
      }),
    );
    const listSessions: ListSessions = await container.getAsync(TOKENS.ListSessions);
    expect(listSessions).to.be.instanceOf(ListSessions);
    const clock: Clock = await container.getAsync(TOKENS.Clock);
    expect(clock.now().toISOString()).to.equal('2026-11-24T10:00:00.000Z');
  });

  it('do not compile a factory whose tokens are swapped, annotated or not', () => {
    const swapped = [
      new ContainerModule(({ bind }) => {
        // @ts-expect-error the Clock token where the SessionRepository goes, and the reverse
        bind(TOKENS.ListSessions).toResolvedValue((sessions, clock) => new ListSessions(sessions, clock), [TOKENS.Clock, TOKENS.SessionRepository]);
      }),
      new ContainerModule(({ bind }) => {
        bind(TOKENS.ListSessions).toResolvedValue(
          (sessions: SessionRepository, clock: Clock) => new ListSessions(sessions, clock),
          // @ts-expect-error the same swap, with the parameter types written out
          [TOKENS.Clock, TOKENS.SessionRepository],
        );
      }),
      new ContainerModule(({ bind }) => {
        // @ts-expect-error a constant of another type than its token names
        bind(TOKENS.Clock).toConstantValue(new InMemoryUserRepository());
      }),
    ];
    // Built, never loaded: the assertions above are the compiler's.
    expect(swapped).to.have.length(3);
  });
});
