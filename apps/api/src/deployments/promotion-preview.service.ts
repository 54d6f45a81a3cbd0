import { Inject, Injectable } from '@nestjs/common';
import type { PromotionPreview } from '@flightdeck/contracts';
import { NotFoundError, ValidationError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { mapRelease } from '../releases/releases.service.js';
import { GateFacts } from './gate-facts.js';
import { summarize } from './gates.js';

const withService = { service: { select: { slug: true } } } as const;
const MAX_CHANGES = 50;

// "Why can't this go there?": loads the facts about one stage and one release and asks the gates.
@Injectable()
export class PromotionPreviewService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GateFacts) private readonly gates: GateFacts,
  ) {}

  async preview(stageId: string, releaseId: string | undefined, now = new Date()): Promise<PromotionPreview> {
    const full = await this.gates.requireStage(stageId);
    const stage = await this.prisma.stage.findUnique({
      where: { id: stageId },
      include: {
        service: { select: { slug: true } },
        environment: { select: { slug: true } },
        state: { include: { currentRelease: { include: withService } } },
        upstreams: {
          include: {
            upstream: { select: { id: true, soakSeconds: true, environment: { select: { slug: true } } } },
          },
        },
      },
    });
    if (!stage) throw new NotFoundError('STAGE_NOT_FOUND', `No stage with id "${stageId}"`);
    const upstreamIds = stage.upstreams.map((edge) => edge.upstream.id);
    const current = stage.state?.currentRelease ?? null;

    const candidate = releaseId
      ? await this.prisma.release.findUnique({ where: { id: releaseId }, include: withService })
      : await this.nextCandidate(stage.serviceId, upstreamIds, current);
    if (releaseId && !candidate)
      throw new NotFoundError('RELEASE_NOT_FOUND', `No release with id "${releaseId}"`);
    if (candidate && candidate.serviceId !== stage.serviceId) {
      throw new ValidationError(
        'RELEASE_OF_ANOTHER_SERVICE',
        `That release belongs to ${candidate.service.slug}, not ${stage.service.slug}`,
        {
          issues: [{ field: 'release', message: `belongs to ${candidate.service.slug}` }],
        },
      );
    }
    const stageRef = {
      id: stage.id,
      serviceSlug: stage.service.slug,
      environmentSlug: stage.environment.slug,
    };
    if (!candidate) {
      return {
        stage: stageRef,
        candidate: null,
        current: current ? mapRelease(current) : null,
        gates: [],
        ready: false,
        summary: upstreamIds.length
          ? `Nothing to deploy: the upstream stages do not all run one release newer than what runs in ${stage.environment.slug}`
          : `Nothing to deploy: ${stage.environment.slug} already runs the newest release`,
        changes: { direction: 'none', releases: [] },
      };
    }

    const same = current?.id === candidate.id;
    const forward = !current || candidate.createdAt > current.createdAt;
    const gates = await this.gates.evaluate(full, candidate, {
      now,
      external: await this.gates.externalGates(full),
      action: same ? 'redeploy' : forward ? 'promote' : 'rollback',
    });
    const changes = same
      ? []
      : await this.prisma.release.findMany({
          where: {
            serviceId: stage.serviceId,
            createdAt: forward
              ? { lte: candidate.createdAt, ...(current ? { gt: current.createdAt } : {}) }
              : { gt: candidate.createdAt, lte: current.createdAt },
          },
          include: withService,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: MAX_CHANGES,
        });
    const ready = gates.every((gate) => gate.state === 'pass') && !same;
    const action = same
      ? `${stage.environment.slug} already runs ${candidate.version}`
      : forward
        ? `Deploy ${candidate.version} to ${stage.environment.slug}: ${changes.length} release${changes.length === 1 ? '' : 's'} forward`
        : `Roll ${stage.environment.slug} back to ${candidate.version}, reverting ${changes.length} release${changes.length === 1 ? '' : 's'}`;
    return {
      stage: stageRef,
      candidate: mapRelease(candidate),
      current: current ? mapRelease(current) : null,
      gates,
      ready,
      summary: summarize(gates, action),
      changes: {
        direction: same ? 'none' : forward ? 'forward' : 'backward',
        releases: changes.map(mapRelease),
      },
    };
  }

  // The release the board shows as "ready from …": the one every upstream stage runs now, when it is
  // newer than what runs here (not merely one that once passed there: it may have been rolled back since).
  // A stage without upstreams is offered the newest release.
  async nextCandidate(
    serviceId: string,
    upstreamIds: string[],
    current: { createdAt: Date } | null,
    tx: Tx = this.prisma,
  ) {
    const newer = current ? { createdAt: { gt: current.createdAt } } : {};
    if (upstreamIds.length === 0) {
      return tx.release.findFirst({
        where: { serviceId, ...newer },
        include: withService,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    }
    const states = await tx.stageState.findMany({
      where: { stageId: { in: upstreamIds } },
      select: { currentReleaseId: true },
    });
    const running = new Set(states.map((state) => state.currentReleaseId));
    const [releaseId] = running;
    if (states.length !== upstreamIds.length || running.size !== 1 || !releaseId) return null;
    return tx.release.findFirst({ where: { id: releaseId, ...newer }, include: withService });
  }
}
