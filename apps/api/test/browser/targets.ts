import type { Board, PromotionPreview } from '@flightdeck/contracts';
import type { TestApp } from '../support/test-app.js';

export interface Target {
  stageId: string;
  serviceName: string;
  version: string;
}

// A demo service whose production cell offers a release from staging and nothing stands in the way.
export async function findReadyProductionStage(app: TestApp): Promise<Target> {
  const { body: board } = await app.get<Board>('/api/v1/board');
  const production = board.environments.find((environment) => environment.slug === 'production')!;
  for (const row of board.rows) {
    const cell = row.cells[production.id];
    if (!cell?.waiting || cell.lock || cell.freeze) continue;
    const { body: preview } = await app.get<PromotionPreview>(`/api/v1/stages/${cell.stageId}/preview`);
    if (preview.ready && preview.candidate) {
      return { stageId: cell.stageId, serviceName: row.service.name, version: preview.candidate.version };
    }
  }
  throw new Error('no demo service is ready to promote to production');
}
