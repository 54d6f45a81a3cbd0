import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { describeError } from '../../common/describe-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { LOGGER } from '../../logging/logger.js';
import { OIDC_CLIENT, type OidcClient, OpenIdClient } from './oidc-client.js';
import { OidcController } from './oidc.controller.js';
import { OidcRepository } from './oidc.repository.js';
import { OidcService } from './oidc.service.js';

// Single sign-on with one OpenID Connect provider. The routes exist either way (the contract lists them);
// without FLIGHTDECK_OIDC_ISSUER the client is null and starting a login answers 404 SSO_NOT_CONFIGURED.
@Module({
  controllers: [OidcController],
  providers: [
    {
      provide: OIDC_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): OidcClient | null =>
        config.auth.oidc
          ? new OpenIdClient(config.auth.oidc, { allowHttp: config.auth.oidc.allowHttp })
          : null,
    },
    OidcRepository,
    OidcService,
  ],
})
export class OidcModule implements OnApplicationBootstrap {
  constructor(
    @Inject(OIDC_CLIENT) private readonly client: OidcClient | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  // Discovery starts with the process so the first login does not wait for it; a provider that is down
  // does not stop Flightdeck from starting (local login still works), and is retried on use.
  onApplicationBootstrap(): void {
    if (!(this.client instanceof OpenIdClient)) return;
    const issuer = this.client.issuer;
    this.client.warmUp().then(
      () => this.logger.info({ issuer }, 'sso: provider discovered'),
      (error: unknown) =>
        this.logger.warn(
          { issuer, error: describeError(error) },
          'sso: provider discovery failed; retrying on use',
        ),
    );
  }
}
