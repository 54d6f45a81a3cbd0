import { Inject, Injectable } from '@nestjs/common';
import {
  type Incident,
  type IncidentActionItem,
  type IncidentSeverity,
  type IncidentStatus,
  type IncidentSummary,
  INCIDENT_STATUSES,
  incidentReference,
} from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import { IdempotencyService, type IdempotentResult } from '../idempotency/idempotency.service.js';
import { AuthzService } from '../identity/authz.service.js';
import { mayOnService } from '../identity/authz.rules.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { incidentChanges } from './incident-changes.js';
import { linkDeployment } from './incident-links.js';
import { mapActionItem, mapIncident, mapIncidentSummary, mapSeverity } from './incidents.mappers.js';
import { IncidentsRepository, type IncidentRow } from './incidents.repository.js';
import { recordIncidentNotification } from '../notifications/outbox.js';

const STATUS_FIELD = {
  identified: 'identifiedAt',
  monitoring: 'monitoringAt',
  resolved: 'resolvedAt',
} as const;

function invalidField(field: string, message: string): ValidationError {
  return new ValidationError('INVALID_BODY', `Invalid body parameter — ${field}: ${message}`, {
    issues: [{ field, message }],
  });
}

export interface DeclareInput {
  readonly title: string;
  readonly severity: string;
  readonly summary: string;
  readonly stageIds: readonly string[];
  readonly deploymentId?: string | undefined;
  readonly commanderId?: string | undefined;
  readonly detectedAt?: string | undefined;
}

export interface UpdateInput {
  readonly title?: string | undefined;
  readonly summary?: string | undefined;
  readonly severity?: string | undefined;
  readonly commanderId?: string | null | undefined;
  readonly stageIds?: readonly string[] | undefined;
  readonly impact?: string | undefined;
  readonly rootCause?: string | undefined;
}

// Declaring incidents and running them: severity, status, commander, affected stages, postmortem.
// Every change locks the incident row, writes and audits in one transaction.
@Injectable()
export class IncidentsService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(IncidentsRepository) private readonly incidents: IncidentsRepository,
    @Inject(AuthzService) private readonly authz: AuthzService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
  ) {}

  async severities(): Promise<{ items: IncidentSeverity[] }> {
    return { items: (await this.incidents.severities()).map(mapSeverity) };
  }

  async createSeverity(
    principal: Principal,
    input: IncidentSeverity,
    meta: RequestMeta,
  ): Promise<IncidentSeverity> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const severity = mapSeverity(await tx.incidentSeverity.create({ data: input }));
        await this.audit.record(tx, {
          actor: actorOf(principal),
          action: 'incident_severity.create',
          outcome: 'success',
          target: { type: 'incident_severity', id: severity.key },
          request: meta,
          after: severity,
        });
        return severity;
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw await this.severityTaken(input);
      }
      throw error;
    }
  }

  // Which of key and rank is taken, in the details like a field error, so a form can say it by the field.
  private async severityTaken(input: IncidentSeverity): Promise<ConflictError> {
    const byKey = await this.incidents.severity(input.key);
    const byRank = byKey ? null : await this.incidents.severityOfRank(input.rank);
    const issue = byKey
      ? { field: 'key', message: `${input.key} is already a severity` }
      : byRank
        ? { field: 'rank', message: `rank ${input.rank} is already taken by ${byRank.key}` }
        : null;
    return new ConflictError(
      'SEVERITY_EXISTS',
      issue
        ? `A severity already exists — ${issue.field}: ${issue.message}`
        : `A severity with key ${input.key} or rank ${input.rank} already exists`,
      issue ? { field: issue.field, issues: [issue] } : undefined,
    );
  }

  async updateSeverity(
    principal: Principal,
    key: string,
    input: Partial<Omit<IncidentSeverity, 'key' | 'rank'>>,
    meta: RequestMeta,
  ): Promise<IncidentSeverity> {
    return this.prisma.$transaction(async (tx) => {
      const before = await this.incidents.severity(key, tx);
      if (!before) throw new NotFoundError('SEVERITY_NOT_FOUND', `No incident severity "${key}"`);
      const after = mapSeverity(await tx.incidentSeverity.update({ where: { key }, data: input }));
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'incident_severity.update',
        outcome: 'success',
        target: { type: 'incident_severity', id: key },
        request: meta,
        before: mapSeverity(before),
        after,
      });
      return after;
    });
  }

  async list(filter: {
    status: 'open' | 'resolved' | 'all';
    stageId?: string | undefined;
    limit: number;
  }): Promise<{ items: IncidentSummary[] }> {
    const now = new Date();
    return { items: (await this.incidents.list(filter)).map((row) => mapIncidentSummary(row, now)) };
  }

  async get(id: string): Promise<Incident> {
    return mapIncident(await this.require(id), new Date());
  }

  async require(id: string, tx: Tx = this.prisma): Promise<IncidentRow> {
    const row = await this.incidents.find(id, tx);
    if (!row) throw new NotFoundError('INCIDENT_NOT_FOUND', `No incident with id "${id}"`);
    return row;
  }

  async declare(
    principal: Principal,
    input: DeclareInput,
    idempotencyKey: string | null,
    meta: RequestMeta,
  ): Promise<IdempotentResult<Incident>> {
    const now = new Date();
    const detectedAt = input.detectedAt ? new Date(input.detectedAt) : now;
    if (detectedAt > now) throw invalidField('detectedAt', 'must not be in the future');
    const suspect = input.deploymentId ? await this.incidents.deployment(input.deploymentId) : null;
    if (input.deploymentId && !suspect) {
      throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${input.deploymentId}"`);
    }
    const stageIds = [...new Set([...input.stageIds, ...(suspect ? [suspect.stageId] : [])])];
    const stages = await this.requireStages(principal, stageIds, meta);
    await this.requireSeverity(input.severity);
    if (input.commanderId) await this.requireUser(input.commanderId, 'commanderId');
    return this.idempotency.run(
      {
        principalId: principal.user.id,
        endpoint: 'declareIncident',
        key: idempotencyKey,
        request: input,
      },
      async (tx) => {
        const created = await tx.incident.create({
          data: {
            title: input.title,
            summary: input.summary,
            severityKey: input.severity,
            commanderId: input.commanderId ?? null,
            declaredBy: actorOf(principal).name,
            declaredById: principal.user.id,
            detectedAt,
            // The same instant as detection when none was given: no separate "detected" line then.
            createdAt: input.detectedAt ? now : detectedAt,
            stages: { create: stages.map((stage) => ({ stageId: stage.id })) },
          },
          select: { id: true },
        });
        if (suspect) {
          await linkDeployment(tx, this.audit, {
            incidentId: created.id,
            deploymentId: suspect.id,
            relation: 'suspect',
            actor: actorOf(principal),
            meta,
          });
        }
        const incident = mapIncident(await this.require(created.id, tx), now);
        await this.audit.record(tx, {
          actor: actorOf(principal),
          action: 'incident.declare',
          outcome: 'success',
          target: { type: 'incident', id: created.id },
          reason: input.title,
          request: meta,
          after: this.auditView(incident),
        });
        await recordIncidentNotification(tx, 'incident.opened', created.id);
        return { status: 201, body: incident };
      },
    );
  }

  async update(principal: Principal, id: string, input: UpdateInput, meta: RequestMeta): Promise<Incident> {
    const current = await this.require(id);
    await this.assertMayRun(principal, current, meta);
    if (input.severity) await this.requireSeverity(input.severity);
    if (input.commanderId) await this.requireUser(input.commanderId, 'commanderId');
    const stages = input.stageIds ? await this.requireStages(principal, input.stageIds, meta) : null;
    return this.change(principal, id, 'incident.update', meta, async (tx, row) => {
      if (stages)
        await this.incidents.replaceStages(
          tx,
          id,
          stages.map((stage) => stage.id),
        );
      await tx.incident.update({
        where: { id },
        data: {
          title: input.title,
          summary: input.summary,
          severityKey: input.severity,
          commanderId: input.commanderId,
          impact: input.impact,
          rootCause: input.rootCause,
        },
      });
      // Channels hear of edits that change what people act on, with what changed, in this transaction.
      const changes = incidentChanges(row, await this.require(id, tx));
      if (changes.length) await recordIncidentNotification(tx, 'incident.changed', id, { changes });
    });
  }

  async transition(
    principal: Principal,
    id: string,
    input: { status: IncidentStatus; note: string },
    meta: RequestMeta,
  ): Promise<Incident> {
    await this.assertMayRun(principal, await this.require(id), meta);
    return this.change(principal, id, 'incident.status', meta, async (tx, row) => {
      const from = INCIDENT_STATUSES.indexOf(row.status);
      const to = INCIDENT_STATUSES.indexOf(input.status);
      if (to <= from) {
        throw new ConflictError(
          'INCIDENT_TRANSITION_INVALID',
          row.status === 'resolved'
            ? `${incidentReference(row.number)} is resolved; it cannot move to ${input.status}`
            : `${incidentReference(row.number)} is ${row.status}; it can only move forward (${INCIDENT_STATUSES.slice(from + 1).join(', ')})`,
          { status: row.status, requested: input.status },
        );
      }
      const now = new Date();
      const field = STATUS_FIELD[input.status as keyof typeof STATUS_FIELD];
      await tx.incident.update({
        where: { id },
        data: {
          status: input.status,
          [field]: now,
          // Moving it on is acknowledging it.
          acknowledgedAt: row.acknowledgedAt ?? now,
        },
      });
      if (input.note) await this.writeNote(tx, principal, id, input.note);
      await recordIncidentNotification(tx, 'incident.changed', id, { message: input.note });
    });
  }

  async acknowledge(principal: Principal, id: string, meta: RequestMeta): Promise<Incident> {
    await this.require(id);
    return this.change(principal, id, 'incident.acknowledge', meta, async (tx, row) => {
      if (row.acknowledgedAt) return false;
      await tx.incident.update({
        where: { id },
        data: { acknowledgedAt: new Date(), commanderId: row.commanderId ?? principal.user.id },
      });
    });
  }

  async addNote(principal: Principal, id: string, body: string, meta: RequestMeta): Promise<void> {
    await this.require(id);
    await this.prisma.$transaction(async (tx) => {
      const note = await this.writeNote(tx, principal, id, body);
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'incident.note',
        outcome: 'success',
        target: { type: 'incident', id },
        request: meta,
        after: { noteId: note.id, body },
      });
    });
  }

  async addActionItem(
    principal: Principal,
    id: string,
    input: { title: string; ownerId?: string | undefined },
    meta: RequestMeta,
  ): Promise<IncidentActionItem> {
    await this.require(id);
    if (input.ownerId) await this.requireUser(input.ownerId, 'ownerId');
    return this.prisma.$transaction(async (tx) => {
      const item = mapActionItem(
        await tx.incidentActionItem.create({
          data: {
            incidentId: id,
            title: input.title,
            ownerId: input.ownerId ?? null,
            createdBy: actorOf(principal).name,
          },
          include: { owner: { select: { id: true, email: true, name: true } } },
        }),
      );
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'incident.action_item.create',
        outcome: 'success',
        target: { type: 'incident', id },
        request: meta,
        after: item,
      });
      return item;
    });
  }

  async updateActionItem(
    principal: Principal,
    id: string,
    itemId: string,
    input: {
      title?: string | undefined;
      ownerId?: string | null | undefined;
      state?: 'open' | 'done' | undefined;
    },
    meta: RequestMeta,
  ): Promise<IncidentActionItem> {
    if (input.ownerId) await this.requireUser(input.ownerId, 'ownerId');
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.incidentActionItem.findFirst({
        where: { id: itemId, incidentId: id },
        include: { owner: { select: { id: true, email: true, name: true } } },
      });
      if (!before)
        throw new NotFoundError('ACTION_ITEM_NOT_FOUND', `No action item "${itemId}" on this incident`);
      const completedAt =
        input.state === undefined || input.state === before.state
          ? undefined
          : input.state === 'done'
            ? new Date()
            : null;
      const after = mapActionItem(
        await tx.incidentActionItem.update({
          where: { id: itemId },
          data: { title: input.title, ownerId: input.ownerId, state: input.state, completedAt },
          include: { owner: { select: { id: true, email: true, name: true } } },
        }),
      );
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'incident.action_item.update',
        outcome: 'success',
        target: { type: 'incident', id },
        request: meta,
        before: mapActionItem(before),
        after,
      });
      return after;
    });
  }

  async link(
    principal: Principal,
    id: string,
    input: { deploymentId: string; relation: 'suspect' | 'cause' | 'remediation' },
    meta: RequestMeta,
  ): Promise<Incident> {
    await this.require(id);
    if (!(await this.incidents.deployment(input.deploymentId))) {
      throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${input.deploymentId}"`);
    }
    await this.prisma.$transaction((tx) =>
      linkDeployment(tx, this.audit, { incidentId: id, ...input, actor: actorOf(principal), meta }),
    );
    return this.get(id);
  }

  // Who may change an incident: its commander, or an approver (or more) of one of its services.
  async assertMayRun(principal: Principal, row: IncidentRow, meta: RequestMeta): Promise<void> {
    if (row.commanderId === principal.user.id) return;
    const services = row.stages.map(({ stage }) => stage.service);
    const allowed =
      services.length === 0
        ? mayOnService(principal, 'approvals:decide', null)
        : services.some((service) => mayOnService(principal, 'approvals:decide', service.teamId));
    if (allowed) return;
    const reason = `Only the commander of ${incidentReference(row.number)} or an approver of its services may change it`;
    await this.audit.recordAlone({
      actor: actorOf(principal),
      action: 'access.denied',
      outcome: 'denied',
      target: { type: 'incident', id: row.id },
      reason,
      request: meta,
    });
    throw new ForbiddenError('NOT_INCIDENT_COMMANDER', reason);
  }

  // Locks the incident, applies the change, audits before and after; `apply` returns false when there
  // was nothing to change (no audit then).
  private async change(
    principal: Principal,
    id: string,
    action: string,
    meta: RequestMeta,
    apply: (tx: Tx, row: IncidentRow) => Promise<boolean | void>,
  ): Promise<Incident> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await this.incidents.lock(tx, id))) {
        throw new NotFoundError('INCIDENT_NOT_FOUND', `No incident with id "${id}"`);
      }
      const before = await this.require(id, tx);
      const changed = await apply(tx, before);
      const now = new Date();
      const after = mapIncident(await this.require(id, tx), now);
      if (changed !== false) {
        await this.audit.record(tx, {
          actor: actorOf(principal),
          action,
          outcome: 'success',
          target: { type: 'incident', id },
          request: meta,
          before: this.auditView(mapIncident(before, now)),
          after: this.auditView(after),
        });
      }
      return after;
    });
  }

  private writeNote(tx: Tx, principal: Principal, incidentId: string, body: string) {
    return tx.incidentNote.create({
      data: { incidentId, authorId: principal.user.id, author: actorOf(principal).name, body },
      select: { id: true },
    });
  }

  // What the ledger keeps of an incident: its own fields, not the deployments it links to.
  private auditView(incident: Incident) {
    return {
      reference: incident.reference,
      title: incident.title,
      severity: incident.severity.key,
      status: incident.status,
      commander: incident.commander?.email ?? null,
      detectedAt: incident.detectedAt,
      acknowledgedAt: incident.acknowledgedAt,
      identifiedAt: incident.identifiedAt,
      monitoringAt: incident.monitoringAt,
      resolvedAt: incident.resolvedAt,
      stages: incident.stages.map((stage) => `${stage.serviceSlug}/${stage.environmentSlug}`),
      summary: incident.summary,
      impact: incident.impact,
      rootCause: incident.rootCause,
    };
  }

  private async requireSeverity(key: string): Promise<void> {
    if (!(await this.incidents.severity(key))) {
      const known = (await this.incidents.severities()).map((row) => row.key).join(', ');
      throw new ValidationError(
        'UNKNOWN_SEVERITY',
        `Invalid body parameter — severity: not one of ${known}`,
        {
          issues: [{ field: 'severity', message: `not one of ${known}` }],
        },
      );
    }
  }

  private async requireUser(id: string, field: string): Promise<void> {
    if (!(await this.incidents.user(id))) throw invalidField(field, `no user with id "${id}"`);
  }

  // Every stage must exist, and the caller must be allowed to deploy to its service.
  private async requireStages(principal: Principal, ids: readonly string[], meta: RequestMeta) {
    const stages = await this.incidents.stages(ids);
    const missing = ids.findIndex((id) => !stages.some((stage) => stage.id === id));
    if (missing >= 0) throw invalidField(`stageIds.${missing}`, `no stage with id "${ids[missing]}"`);
    for (const stage of stages) {
      await this.authz.assertOnService(
        principal,
        'deployments:write',
        { service: stage.service, environment: stage.environment, type: 'stage', id: stage.id },
        meta,
      );
    }
    return stages;
  }
}
