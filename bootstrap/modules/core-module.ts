import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { SystemClock } from '../../adapters/system/system-clock.js';
import type { Config } from '../config.js';
import { PublicAddress } from '../public-address.js';
import { TOKENS, type ShutdownState } from '../tokens.js';

export function coreModule(config: Config, logger: Logger): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.PublicAddress).toConstantValue(new PublicAddress(config));
    bind(TOKENS.Logger).toConstantValue(logger);
    bind(TOKENS.Clock).toConstantValue(new SystemClock());
    bind(TOKENS.ShutdownState).toConstantValue({ shuttingDown: false } satisfies ShutdownState);
  });
}
