import { Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LOGGER } from '../logging/logger.js';
import { SecretBox } from './secret-box.js';
import { loadSecretKey } from './secret-key.js';

// Resolved at start-up, so a missing or malformed key stops the process instead of the first save.
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [APP_CONFIG, LOGGER],
      useFactory: async (config: AppConfig, logger: Logger) =>
        new SecretBox(await loadSecretKey(config, logger)),
    },
  ],
  exports: [SecretBox],
})
export class SecretsModule {}
