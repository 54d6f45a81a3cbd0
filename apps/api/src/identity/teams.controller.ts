import { Controller, Inject } from '@nestjs/common';
import { type BodyOutputOf, endpoints, type ParamsOutputOf, type ResponseOf } from '@flightdeck/contracts';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../common/endpoint-input.decorator.js';
import type { Principal } from './principal.js';
import { CurrentPrincipal, Meta } from './request-meta.js';
import { TeamsService } from './teams.service.js';

const e = endpoints;

@Controller()
export class TeamsController {
  constructor(@Inject(TeamsService) private readonly teams: TeamsService) {}

  @Endpoint(e.listTeams)
  list(): Promise<ResponseOf<typeof e.listTeams>> {
    return this.teams.list();
  }

  @Endpoint(e.createTeam)
  create(
    @ValidBody() body: BodyOutputOf<typeof e.createTeam>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.createTeam>> {
    return this.teams.create(principal, body, meta);
  }

  @Endpoint(e.setTeamMember)
  setMember(
    @ValidParams() params: ParamsOutputOf<typeof e.setTeamMember>,
    @ValidBody() body: BodyOutputOf<typeof e.setTeamMember>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.setTeamMember>> {
    return this.teams.setMember(principal, params.slug, params.userId, body.role, meta);
  }

  @Endpoint(e.removeTeamMember)
  removeMember(
    @ValidParams() params: ParamsOutputOf<typeof e.removeTeamMember>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.removeTeamMember>> {
    return this.teams.removeMember(principal, params.slug, params.userId, meta);
  }

  @Endpoint(e.listEnvironmentGrants)
  listGrants(
    @ValidParams() params: ParamsOutputOf<typeof e.listEnvironmentGrants>,
  ): Promise<ResponseOf<typeof e.listEnvironmentGrants>> {
    return this.teams.listGrants(params.slug);
  }

  @Endpoint(e.createEnvironmentGrant)
  createGrant(
    @ValidParams() params: ParamsOutputOf<typeof e.createEnvironmentGrant>,
    @ValidBody() body: BodyOutputOf<typeof e.createEnvironmentGrant>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.createEnvironmentGrant>> {
    return this.teams.createGrant(principal, params.slug, body, meta);
  }

  @Endpoint(e.deleteEnvironmentGrant)
  deleteGrant(
    @ValidParams() params: ParamsOutputOf<typeof e.deleteEnvironmentGrant>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.deleteEnvironmentGrant>> {
    return this.teams.deleteGrant(principal, params.id, meta);
  }
}
