import { Controller, Inject } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../common/endpoint-input.decorator.js';
import type { Principal } from './principal.js';
import { CurrentPrincipal, Meta } from './request-meta.js';
import { TokensService } from './tokens.service.js';
import { UsersService } from './users.service.js';

const e = endpoints;

@Controller()
export class MeController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(TokensService) private readonly tokens: TokensService,
  ) {}

  @Endpoint(e.getMe)
  me(@CurrentPrincipal() principal: Principal): Promise<ResponseOf<typeof e.getMe>> {
    return this.users.me(principal);
  }

  @Endpoint(e.changePassword)
  changePassword(
    @ValidBody() body: BodyOutputOf<typeof e.changePassword>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.changePassword>> {
    return this.users.changePassword(principal, body, meta);
  }

  @Endpoint(e.listMyTokens)
  listTokens(@CurrentPrincipal() principal: Principal): Promise<ResponseOf<typeof e.listMyTokens>> {
    return this.tokens.listFor(principal);
  }

  @Endpoint(e.createMyToken)
  createToken(
    @ValidBody() body: BodyOutputOf<typeof e.createMyToken>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.createMyToken>> {
    return this.tokens.create(principal, body, meta);
  }

  @Endpoint(e.revokeMyToken)
  revokeToken(
    @ValidParams() params: ParamsOutputOf<typeof e.revokeMyToken>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.revokeMyToken>> {
    return this.tokens.revoke(principal, params.id, meta);
  }
}
