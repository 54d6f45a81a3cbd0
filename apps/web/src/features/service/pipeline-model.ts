import type { BoardCell, BoardRow, Environment, Stage } from '@flightdeck/contracts';

export interface PipelineNode {
  stage: Stage;
  environment: Environment | null;
  cell: BoardCell | null;
  column: number;
  row: number;
}

export interface PipelineEdge {
  from: PipelineNode;
  to: PipelineNode;
}

export interface Pipeline {
  nodes: PipelineNode[];
  edges: PipelineEdge[];
  columns: number;
  rows: number;
}

// Columns follow the global promotion order of environments; stages sharing a column stack in rows.
// Edges come only from the stages' upstreams, so the drawing is the DAG the runner enforces.
export function buildPipeline(stages: Stage[], environments: Environment[], row: BoardRow | null): Pipeline {
  const environmentBySlug = new Map(environments.map((environment) => [environment.slug, environment]));
  const ordered = [...stages].sort((a, b) => {
    const left = environmentBySlug.get(a.environmentSlug)?.position ?? Number.MAX_SAFE_INTEGER;
    const right = environmentBySlug.get(b.environmentSlug)?.position ?? Number.MAX_SAFE_INTEGER;
    return left - right || a.environmentSlug.localeCompare(b.environmentSlug);
  });
  const columnOf = new Map<string, number>();
  const rowsInColumn: number[] = [];
  const nodes = ordered.map((stage) => {
    let column = columnOf.get(stage.environmentSlug);
    if (column === undefined) {
      column = columnOf.size;
      columnOf.set(stage.environmentSlug, column);
    }
    const rowIndex = rowsInColumn[column] ?? 0;
    rowsInColumn[column] = rowIndex + 1;
    return {
      stage,
      environment: environmentBySlug.get(stage.environmentSlug) ?? null,
      cell: row?.cells[stage.environmentId] ?? null,
      column,
      row: rowIndex,
    };
  });
  const nodeById = new Map(nodes.map((node) => [node.stage.id, node]));
  const edges = nodes.flatMap((to) =>
    to.stage.upstreamStageIds.flatMap((upstreamId) => {
      const from = nodeById.get(upstreamId);
      return from ? [{ from, to }] : [];
    }),
  );
  return { nodes, edges, columns: columnOf.size, rows: Math.max(1, ...rowsInColumn) };
}

export function environmentLabel(node: PipelineNode): string {
  return node.environment?.name ?? node.stage.environmentSlug;
}
