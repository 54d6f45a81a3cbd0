import type { DeploymentGitHubMirror } from '@flightdeck/contracts';
import { CircleCheck, Clock, ExternalLink, TriangleAlert } from 'lucide-react';

const LABEL: Record<DeploymentGitHubMirror['state'], string> = {
  pending: 'Sending to GitHub',
  synced: 'Mirrored',
  failed: 'Not mirrored',
};

const ICON = { pending: Clock, synced: CircleCheck, failed: TriangleAlert } as const;

// The deployment's copy in GitHub Deployments: state by icon, colour and text, and a link once created.
export function GitHubMirror({ mirror }: { mirror: DeploymentGitHubMirror | null | undefined }) {
  if (!mirror) return null;
  const Icon = ICON[mirror.state];
  return (
    <div>
      <dt>GitHub</dt>
      <dd className="deployment-github">
        <span className="deployment-github-state" data-state={mirror.state}>
          <Icon size={12} aria-hidden />
          {LABEL[mirror.state]}
          {mirror.state === 'synced' && mirror.lastStatus ? ` (${mirror.lastStatus.replace('_', ' ')})` : ''}
        </span>
        {mirror.error ? <span className="small muted">{mirror.error}</span> : null}
        {mirror.url ? (
          <a href={mirror.url} target="_blank" rel="noreferrer" className="service-repo">
            View on GitHub
            <ExternalLink size={12} aria-hidden />
            <span className="sr-only">(opens in a new tab)</span>
          </a>
        ) : null}
      </dd>
    </div>
  );
}
