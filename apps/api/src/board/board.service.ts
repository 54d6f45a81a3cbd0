import { Inject, Injectable } from '@nestjs/common';
import { type Board, type BoardCell, isActive } from '@flightdeck/contracts';
import { mapEnvironment } from '../catalog/catalog.mappers.js';
import { CatalogRepository } from '../catalog/catalog.repository.js';
import { type ActiveFreeze, FreezesService, freezesOver } from '../freezes/freezes.service.js';
import type { BoardPageRequest } from './board-page.js';
import { type BoardSnapshot, pageSnapshot, serialise, wholeSnapshot } from './board-snapshot.js';
import { BoardRepository, type BoardServicesPage, type BoardStageRow } from './board.repository.js';

type StageRow = BoardStageRow;
type ReleaseRow = { id: string; version: string; commitSha: string; createdAt: Date };

const mapRelease = (release: ReleaseRow) => ({ ...release, createdAt: release.createdAt.toISOString() });

// A newer release waits for a stage when every upstream stage runs the same release
// and it is newer than what this stage runs and not already on its way here.
export function findWaitingRelease(stage: StageRow, stagesById: Map<string, StageRow>): ReleaseRow | null {
  if (stage.upstreams.length === 0) return null;
  const upstreamReleases = stage.upstreams.map(
    (edge) => stagesById.get(edge.upstreamStageId)?.state?.currentRelease ?? null,
  );
  const candidate = upstreamReleases[0];
  if (!candidate || upstreamReleases.some((release) => release?.id !== candidate.id)) return null;
  const current = stage.state?.currentRelease ?? null;
  if (current && (current.id === candidate.id || current.createdAt >= candidate.createdAt)) return null;
  const last = stage.state?.lastDeployment;
  if (last && last.release.id === candidate.id && (last.status === 'pending' || isActive(last.status)))
    return null;
  return candidate;
}

// The freeze that keeps the stage closed longest, if any is open.
function freezeOf(serviceId: string, stage: StageRow, active: readonly ActiveFreeze[]): BoardCell['freeze'] {
  const over = freezesOver(active, { serviceId, environmentId: stage.environmentId });
  const longest = over.sort((a, b) => b.until.getTime() - a.until.getTime())[0];
  return longest
    ? { id: longest.id, reason: longest.reason, scope: longest.scope, until: longest.until.toISOString() }
    : null;
}

function mapCell(stage: StageRow, stagesById: Map<string, StageRow>): BoardCell {
  const state = stage.state;
  const last = state?.lastDeployment ?? null;
  const waiting = findWaitingRelease(stage, stagesById);
  return {
    stageId: stage.id,
    environmentId: stage.environmentId,
    driverKind: stage.driverKind,
    current: state?.currentRelease ? mapRelease(state.currentRelease) : null,
    deployedAt: state?.currentSince?.toISOString() ?? null,
    lastDeployment: last
      ? {
          id: last.id,
          status: last.status,
          kind: last.kind,
          breakGlass: last.breakGlass,
          release: mapRelease(last.release),
          createdAt: last.createdAt.toISOString(),
          finishedAt: last.finishedAt?.toISOString() ?? null,
        }
      : null,
    health: state?.health ?? 'unknown',
    healthMessage: state?.healthMessage ?? '',
    lock:
      state?.lockedBy && state.lockedAt
        ? { by: state.lockedBy, reason: state.lockReason ?? '', at: state.lockedAt.toISOString() }
        : null,
    hold: state?.holdRelease ? { release: mapRelease(state.holdRelease), reason: state.holdReason } : null,
    waiting: waiting ? mapRelease(waiting) : null,
  };
}

@Injectable()
export class BoardService {
  constructor(
    @Inject(BoardRepository) private readonly board: BoardRepository,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(FreezesService) private readonly freezes: FreezesService,
  ) {}

  // The board as of `at`: freezes are those open at that time. With `page`, only those rows.
  async getBoard(
    filter: { team?: string; q?: string },
    at = new Date(),
    page?: BoardServicesPage,
  ): Promise<Board> {
    const [environments, services, freezes] = await Promise.all([
      this.catalog.listEnvironments(),
      this.board.listServicesWithStageState(filter, page),
      this.freezes.active(at),
    ]);
    const rows = services.map((service) => {
      const stagesById = new Map(service.stages.map((stage) => [stage.id, stage]));
      const cells = Object.fromEntries(
        service.stages.map(
          (stage) =>
            [
              stage.environmentId,
              { ...mapCell(stage, stagesById), freeze: freezeOf(service.id, stage, freezes) },
            ] as const,
        ),
      );
      return {
        service: { id: service.id, slug: service.slug, name: service.name, team: service.team?.slug ?? null },
        cells,
      };
    });
    return { environments: environments.map(mapEnvironment), rows, generatedAt: at.toISOString() };
  }

  // A filtered board (one team, or the services matching `q`) read now, uncached: the whole of it,
  // or one page read with one row more than asked, to know whether another page follows.
  async filteredSnapshot(
    filter: { team?: string; q?: string },
    page: BoardPageRequest | null,
  ): Promise<BoardSnapshot> {
    if (!page) return wholeSnapshot(serialise(await this.getBoard(filter)), 0);
    const board = await this.getBoard(filter, new Date(), { after: page.after, limit: page.limit + 1 });
    return pageSnapshot(serialise(board), 0, page.limit, 0);
  }

  // The first time after `at` when a freeze window opens or closes: the board changes then without a
  // write. Null when no freeze has a boundary ahead.
  async nextFreezeBoundary(at: Date): Promise<Date | null> {
    const { items } = await this.freezes.list({}, at);
    const times = items
      .flatMap((freeze) => [freeze.current?.end, freeze.next?.start])
      .map((time) => (time ? Date.parse(time) : Number.POSITIVE_INFINITY))
      .filter((time) => time > at.getTime());
    const first = Math.min(...times);
    return Number.isFinite(first) ? new Date(first) : null;
  }
}
