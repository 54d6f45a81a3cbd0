import { FlaskConical, Lock, ScanSearch, Settings2, Shield } from 'lucide-react';
import { useId } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { RelativeTime } from '../../components/ui/relative-time';
import { shortSha } from '../../lib/time';
import { formatDuration } from '../deployments/duration';
import { DeploymentStatusPill, HealthPill } from '../status/deployment-status-pill';
import { environmentLabel, type Pipeline, type PipelineEdge, type PipelineNode } from './pipeline-model';
import { deploymentPath } from './service-paths';
import { DRIVER_LABEL, TIER_LABEL } from './stage-meta';

const NODE_WIDTH = 264;
const NODE_HEIGHT = 176;
const COLUMN_GAP = 64;
const ROW_GAP = 28;
// Room above the nodes for edges that skip a column and arc over the ones in between.
const ARC_SPACE = 36;

function nodeX(node: PipelineNode): number {
  return node.column * (NODE_WIDTH + COLUMN_GAP);
}

function nodeY(node: PipelineNode): number {
  return ARC_SPACE + node.row * (NODE_HEIGHT + ROW_GAP);
}

function edgePath({ from, to }: PipelineEdge): string {
  if (to.column === from.column + 1) {
    const x1 = nodeX(from) + NODE_WIDTH;
    const y1 = nodeY(from) + NODE_HEIGHT / 2;
    const x2 = nodeX(to);
    const y2 = nodeY(to) + NODE_HEIGHT / 2;
    const bend = COLUMN_GAP / 2;
    return `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
  }
  // Skips a column (or points back): leave from the top of the source, land on the top of the target.
  const x1 = nodeX(from) + NODE_WIDTH * 0.75;
  const y1 = nodeY(from);
  const x2 = nodeX(to) + NODE_WIDTH * 0.25;
  const y2 = nodeY(to);
  const lift = ARC_SPACE - 6;
  return `M ${x1} ${y1} C ${x1} ${y1 - lift}, ${x2} ${y2 - lift}, ${x2} ${y2}`;
}

interface PipelineGraphProps {
  pipeline: Pipeline;
  // Present for users who may change the stages' settings: each node gets a Settings button.
  onOpenSettings?: ((node: PipelineNode) => void) | undefined;
  // Present for the same users: each node gets a Verification button next to Settings.
  onOpenVerification?: ((node: PipelineNode) => void) | undefined;
}

export function PipelineGraph({ pipeline, onOpenSettings, onOpenVerification }: PipelineGraphProps) {
  const markerId = useId();
  const width = pipeline.columns * NODE_WIDTH + (pipeline.columns - 1) * COLUMN_GAP;
  const height = ARC_SPACE + pipeline.rows * NODE_HEIGHT + (pipeline.rows - 1) * ROW_GAP;
  const upstreamsOf = (node: PipelineNode) =>
    pipeline.edges.filter((edge) => edge.to === node).map((edge) => environmentLabel(edge.from));

  return (
    <div className="pipeline-scroll">
      <div className="pipeline-canvas" style={{ width, height }}>
        <svg
          className="pipeline-edges"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          aria-hidden
        >
          <defs>
            <marker
              id={markerId}
              viewBox="0 0 8 8"
              refX="7"
              refY="4"
              markerWidth="8"
              markerHeight="8"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 8 4 L 0 8 z" className="pipeline-arrow" />
            </marker>
          </defs>
          {pipeline.edges.map((edge) => (
            <path
              key={`${edge.from.stage.id}-${edge.to.stage.id}`}
              className="pipeline-edge"
              d={edgePath(edge)}
              markerEnd={`url(#${markerId})`}
              data-from={edge.from.stage.environmentSlug}
              data-to={edge.to.stage.environmentSlug}
            />
          ))}
        </svg>
        <ol className="pipeline-nodes" aria-label="Promotion pipeline">
          {pipeline.nodes.map((node) => (
            <li
              key={node.stage.id}
              className="pipeline-node"
              data-tier={node.environment?.tier}
              style={{ left: nodeX(node), top: nodeY(node), width: NODE_WIDTH, height: NODE_HEIGHT }}
            >
              <StageNode
                node={node}
                upstreams={upstreamsOf(node)}
                onOpenSettings={onOpenSettings}
                onOpenVerification={onOpenVerification}
              />
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}

interface StageNodeProps {
  node: PipelineNode;
  upstreams: string[];
  onOpenSettings?: ((node: PipelineNode) => void) | undefined;
  onOpenVerification?: ((node: PipelineNode) => void) | undefined;
}

function StageNode({ node, upstreams, onOpenSettings, onOpenVerification }: StageNodeProps) {
  const { stage, environment, cell } = node;
  const last = cell?.lastDeployment ?? null;
  const production = environment?.tier === 'production';
  return (
    <article className="stage-node" aria-label={`${environmentLabel(node)} stage`}>
      <header className="stage-node-header">
        {production ? <Shield className="env-prod-mark" size={13} strokeWidth={2.25} aria-hidden /> : null}
        <h3 className="stage-node-title">{environmentLabel(node)}</h3>
        {environment ? (
          <Badge
            tone={production ? 'accent' : 'neutral'}
            variant={environment.tier === 'development' ? 'outline' : 'soft'}
          >
            {TIER_LABEL[environment.tier]}
          </Badge>
        ) : null}
        {onOpenVerification ? (
          <button
            type="button"
            className="icon-button stage-node-settings stage-node-verification"
            onClick={() => onOpenVerification(node)}
            aria-label={`Verification of the ${environmentLabel(node)} stage`}
            title="Verification: checks after each deployment, automatic rollback"
          >
            <ScanSearch size={15} aria-hidden />
          </button>
        ) : null}
        {onOpenSettings ? (
          <button
            type="button"
            className="icon-button stage-node-settings"
            onClick={() => onOpenSettings(node)}
            aria-label={`Settings of the ${environmentLabel(node)} stage`}
            title="Stage settings: driver, soak time, deadline"
          >
            <Settings2 size={15} aria-hidden />
          </button>
        ) : null}
      </header>
      <p className="sr-only">
        {upstreams.length > 0 ? `Promotes from ${upstreams.join(', ')}.` : 'Entry stage: no upstream.'}
      </p>

      <div className="stage-node-running">
        {cell?.current ? (
          <>
            <span className="stage-node-version mono" title={`commit ${cell.current.commitSha}`}>
              {cell.current.version}
            </span>
            <span className="muted small mono">{shortSha(cell.current.commitSha)}</span>
            {cell.deployedAt ? (
              <span className="muted small">
                <RelativeTime iso={cell.deployedAt} />
              </span>
            ) : null}
          </>
        ) : (
          <span className="muted">Never deployed</span>
        )}
      </div>

      <dl className="stage-node-facts">
        <div>
          <dt>Last deploy</dt>
          <dd>
            {last ? (
              <Link
                to={deploymentPath(last.id)}
                className="stage-node-link"
                aria-label={`Last deployment to ${environmentLabel(node)}: ${last.release.version}, ${last.status}`}
              >
                <DeploymentStatusPill status={last.status}>
                  {last.release.id !== cell?.current?.id ? (
                    <span className="status-target mono">{last.release.version}</span>
                  ) : null}
                </DeploymentStatusPill>
              </Link>
            ) : (
              <span className="muted small">None yet</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Health</dt>
          <dd>
            {cell ? (
              <HealthPill health={cell.health} message={cell.healthMessage} />
            ) : (
              <span className="muted small">Unknown</span>
            )}
          </dd>
        </div>
      </dl>

      <div className="stage-node-footer">
        <span className="stage-node-driver">
          {stage.driverKind === 'sandbox' ? (
            <Badge
              tone="accent"
              variant="outline"
              icon={<FlaskConical size={11} aria-hidden />}
              title="Sandbox driver: a simulated target, nothing real is deployed"
            >
              Sandbox
            </Badge>
          ) : (
            <span className="muted small">{DRIVER_LABEL[stage.driverKind]} driver</span>
          )}
        </span>
        {cell?.lock ? (
          <p className="stage-node-lock" title={cell.lock.reason}>
            <Lock size={12} aria-hidden />
            Locked by {cell.lock.by}
          </p>
        ) : stage.soakSeconds > 0 ? (
          <p className="muted small">Soaks {formatDuration(stage.soakSeconds * 1000)}</p>
        ) : null}
      </div>
    </article>
  );
}
