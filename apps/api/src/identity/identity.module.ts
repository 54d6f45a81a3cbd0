import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AuthzService } from './authz.service.js';
import { CredentialsRepository } from './credentials.repository.js';
import { LoginThrottle } from './login-throttle.js';
import { MeController } from './me.controller.js';
import { SessionsService } from './sessions.service.js';
import { SetupService } from './setup.service.js';
import { TeamsController } from './teams.controller.js';
import { TeamsService } from './teams.service.js';
import { TokensService } from './tokens.service.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Global()
@Module({
  controllers: [AuthController, MeController, UsersController, TeamsController],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    AuthService,
    AuthzService,
    CredentialsRepository,
    LoginThrottle,
    SessionsService,
    SetupService,
    TeamsService,
    TokensService,
    UsersRepository,
    UsersService,
  ],
  exports: [AuthzService, SessionsService, SetupService, TokensService, UsersRepository],
})
export class IdentityModule {}
