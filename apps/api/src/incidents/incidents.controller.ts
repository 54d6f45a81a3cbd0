import { Controller, Headers, Inject, Res } from '@nestjs/common';
import {
  type BodyOutputOf,
  endpoints,
  type ParamsOutputOf,
  type QueryOf,
  type ResponseOf,
} from '@flightdeck/contracts';
import type { Response } from 'express';
import type { RequestMeta } from '../audit/audit.service.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../common/endpoint-input.decorator.js';
import { parseIdempotencyKey, sendIdempotent } from '../idempotency/idempotency.service.js';
import type { Principal } from '../identity/principal.js';
import { CurrentPrincipal, Meta } from '../identity/request-meta.js';
import { IncidentRecordsService } from './incident-records.service.js';
import { IncidentRollbackService } from './incident-rollback.service.js';
import { IncidentsService } from './incidents.service.js';

const e = endpoints;

@Controller()
export class IncidentsController {
  constructor(
    @Inject(IncidentsService) private readonly incidents: IncidentsService,
    @Inject(IncidentRecordsService) private readonly records: IncidentRecordsService,
    @Inject(IncidentRollbackService) private readonly rollbacks: IncidentRollbackService,
  ) {}

  @Endpoint(e.listIncidentSeverities)
  severities(): Promise<ResponseOf<typeof e.listIncidentSeverities>> {
    return this.incidents.severities();
  }

  @Endpoint(e.createIncidentSeverity)
  createSeverity(
    @ValidBody() body: BodyOutputOf<typeof e.createIncidentSeverity>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.createIncidentSeverity>> {
    return this.incidents.createSeverity(principal, body, meta);
  }

  @Endpoint(e.updateIncidentSeverity)
  updateSeverity(
    @ValidParams() params: ParamsOutputOf<typeof e.updateIncidentSeverity>,
    @ValidBody() body: BodyOutputOf<typeof e.updateIncidentSeverity>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.updateIncidentSeverity>> {
    return this.incidents.updateSeverity(principal, params.key, body, meta);
  }

  @Endpoint(e.listIncidents)
  list(@ValidQuery() query: QueryOf<typeof e.listIncidents>): Promise<ResponseOf<typeof e.listIncidents>> {
    return this.incidents.list(query);
  }

  @Endpoint(e.declareIncident)
  async declare(
    @ValidBody() body: BodyOutputOf<typeof e.declareIncident>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ResponseOf<typeof e.declareIncident>> {
    const result = await this.incidents.declare(principal, body, parseIdempotencyKey(idempotencyKey), meta);
    return sendIdempotent(res, result);
  }

  @Endpoint(e.getIncident)
  get(
    @ValidParams() params: ParamsOutputOf<typeof e.getIncident>,
  ): Promise<ResponseOf<typeof e.getIncident>> {
    return this.incidents.get(params.id);
  }

  @Endpoint(e.updateIncident)
  update(
    @ValidParams() params: ParamsOutputOf<typeof e.updateIncident>,
    @ValidBody() body: BodyOutputOf<typeof e.updateIncident>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.updateIncident>> {
    return this.incidents.update(principal, params.id, body, meta);
  }

  @Endpoint(e.transitionIncident)
  transition(
    @ValidParams() params: ParamsOutputOf<typeof e.transitionIncident>,
    @ValidBody() body: BodyOutputOf<typeof e.transitionIncident>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.transitionIncident>> {
    return this.incidents.transition(principal, params.id, body, meta);
  }

  @Endpoint(e.acknowledgeIncident)
  acknowledge(
    @ValidParams() params: ParamsOutputOf<typeof e.acknowledgeIncident>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.acknowledgeIncident>> {
    return this.incidents.acknowledge(principal, params.id, meta);
  }

  @Endpoint(e.addIncidentNote)
  async addNote(
    @ValidParams() params: ParamsOutputOf<typeof e.addIncidentNote>,
    @ValidBody() body: BodyOutputOf<typeof e.addIncidentNote>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.addIncidentNote>> {
    await this.incidents.addNote(principal, params.id, body.body, meta);
    return this.records.timeline(params.id);
  }

  @Endpoint(e.addIncidentActionItem)
  addActionItem(
    @ValidParams() params: ParamsOutputOf<typeof e.addIncidentActionItem>,
    @ValidBody() body: BodyOutputOf<typeof e.addIncidentActionItem>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.addIncidentActionItem>> {
    return this.incidents.addActionItem(principal, params.id, body, meta);
  }

  @Endpoint(e.updateIncidentActionItem)
  updateActionItem(
    @ValidParams() params: ParamsOutputOf<typeof e.updateIncidentActionItem>,
    @ValidBody() body: BodyOutputOf<typeof e.updateIncidentActionItem>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.updateIncidentActionItem>> {
    return this.incidents.updateActionItem(principal, params.id, params.itemId, body, meta);
  }

  @Endpoint(e.getIncidentTimeline)
  timeline(
    @ValidParams() params: ParamsOutputOf<typeof e.getIncidentTimeline>,
  ): Promise<ResponseOf<typeof e.getIncidentTimeline>> {
    return this.records.timeline(params.id);
  }

  @Endpoint(e.exportIncidentTimeline)
  async exportTimeline(
    @ValidParams() params: ParamsOutputOf<typeof e.exportIncidentTimeline>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { reference, markdown } = await this.records.markdown(params.id);
    res.setHeader('content-type', 'text/markdown; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${reference}.md"`);
    return markdown;
  }

  @Endpoint(e.getIncidentSuspects)
  suspects(
    @ValidParams() params: ParamsOutputOf<typeof e.getIncidentSuspects>,
    @ValidQuery() query: QueryOf<typeof e.getIncidentSuspects>,
  ): Promise<ResponseOf<typeof e.getIncidentSuspects>> {
    return this.records.suspects(params.id, query.windowMinutes);
  }

  @Endpoint(e.linkIncidentDeployment)
  link(
    @ValidParams() params: ParamsOutputOf<typeof e.linkIncidentDeployment>,
    @ValidBody() body: BodyOutputOf<typeof e.linkIncidentDeployment>,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
  ): Promise<ResponseOf<typeof e.linkIncidentDeployment>> {
    return this.incidents.link(principal, params.id, body, meta);
  }

  @Endpoint(e.rollbackIncidentSuspect)
  async rollback(
    @ValidParams() params: ParamsOutputOf<typeof e.rollbackIncidentSuspect>,
    @ValidBody() body: BodyOutputOf<typeof e.rollbackIncidentSuspect>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ResponseOf<typeof e.rollbackIncidentSuspect>> {
    const result = await this.rollbacks.rollback(
      principal,
      params.id,
      body,
      parseIdempotencyKey(idempotencyKey),
      meta,
    );
    return sendIdempotent(res, result);
  }
}
