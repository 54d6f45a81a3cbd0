import { Controller, Inject, Req, Res } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ResponseOf } from '@flightdeck/contracts';
import type { Request, Response } from 'express';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody } from '../common/endpoint-input.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AuthService } from './auth.service.js';
import { assertSameOrigin } from './csrf.js';
import type { Principal } from './principal.js';
import { CurrentPrincipal, Meta } from './request-meta.js';

const e = endpoints;

@Controller()
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Endpoint(e.getAuthState)
  state(@CurrentPrincipal() principal: Principal | null): Promise<ResponseOf<typeof e.getAuthState>> {
    return this.auth.state(principal);
  }

  // Public, so the guard checks no CSRF token: the same-origin check stops login CSRF.
  @Endpoint(e.login)
  login(
    @ValidBody() body: BodyOutputOf<typeof e.login>,
    @CurrentPrincipal() principal: Principal | null,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.login>> {
    assertSameOrigin(req, this.config.http.publicUrl);
    return this.auth.login(body, principal, res, meta);
  }

  @Endpoint(e.logout)
  logout(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.logout>> {
    return this.auth.logout(principal, res, meta);
  }

  @Endpoint(e.completeSetup)
  setup(
    @ValidBody() body: BodyOutputOf<typeof e.completeSetup>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.completeSetup>> {
    assertSameOrigin(req, this.config.http.publicUrl);
    return this.auth.completeSetup(body, res, meta);
  }
}
