import { Controller, Inject } from '@nestjs/common';
import {
  type BodyOutputOf,
  endpoints,
  type ParamsOutputOf,
  type QueryOf,
  type ResponseOf,
} from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../common/endpoint-input.decorator.js';
import type { Principal } from './principal.js';
import { CurrentPrincipal, Meta } from './request-meta.js';
import { UsersService } from './users.service.js';

const e = endpoints;

@Controller()
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Endpoint(e.listUsers)
  list(@ValidQuery() query: QueryOf<typeof e.listUsers>): Promise<ResponseOf<typeof e.listUsers>> {
    return this.users.list(query);
  }

  @Endpoint(e.createUser)
  create(
    @ValidBody() body: BodyOutputOf<typeof e.createUser>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.createUser>> {
    return this.users.create(principal, body, meta);
  }

  @Endpoint(e.updateUser)
  update(
    @ValidParams() params: ParamsOutputOf<typeof e.updateUser>,
    @ValidBody() body: BodyOutputOf<typeof e.updateUser>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.updateUser>> {
    return this.users.update(principal, params.id, body, meta);
  }
}
