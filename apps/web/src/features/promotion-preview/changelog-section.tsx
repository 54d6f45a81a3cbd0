import { endpoints, type Changelog } from '@flightdeck/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { GitCommitHorizontal, GitPullRequest } from 'lucide-react';
import { Skeleton } from '../../components/ui/skeleton';
import { api } from '../../config/api';
import { shortSha } from '../../lib/time';

// Compares of two commits never change: the answer stays fresh for the dialog's life.
export function changelogQueryOptions(stageId: string, releaseId: string) {
  return queryOptions({
    queryKey: ['board', 'changelog', stageId, releaseId] as const,
    queryFn: ({ signal }) =>
      api.request(endpoints.stageChangelog, {
        signal,
        params: { id: stageId },
        query: { release: releaseId },
      }),
    staleTime: 5 * 60_000,
  });
}

// The commits and pull requests between what runs on the stage and the candidate, from GitHub.
export function ChangelogSection({ stageId, releaseId }: { stageId: string; releaseId: string }) {
  const changelog = useQuery(changelogQueryOptions(stageId, releaseId));
  return (
    <section aria-labelledby="preview-commits-title">
      <h3 id="preview-commits-title" className="preview-heading">
        Commits and pull requests
      </h3>
      {changelog.isPending ? (
        <Skeleton height="3rem" />
      ) : changelog.isError ? (
        <p className="muted">Could not load the commits.</p>
      ) : (
        <ChangelogBody changelog={changelog.data} />
      )}
    </section>
  );
}

export function ChangelogBody({ changelog }: { changelog: Changelog }) {
  if (!changelog.available) return <p className="muted">{changelog.reason}</p>;
  if (changelog.commits.length === 0) return <p className="muted">No commits between them.</p>;
  const count = changelog.commits.length + changelog.moreCommits;
  return (
    <>
      <p className="preview-direction" data-direction={changelog.direction}>
        {changelog.direction === 'backward' ? 'Takes away' : 'Brings'} {count}{' '}
        {count === 1 ? 'commit' : 'commits'} in{' '}
        <a href={changelog.compareUrl} target="_blank" rel="noreferrer">
          {changelog.repository}
        </a>
        :
      </p>
      {changelog.pullRequests.length > 0 ? (
        <ul className="preview-changelog" aria-label="Pull requests">
          {changelog.pullRequests.map((pr) => (
            <li key={pr.number}>
              <GitPullRequest size={14} aria-hidden />
              <a href={pr.url} target="_blank" rel="noreferrer">
                #{pr.number} {pr.title}
              </a>
              {pr.author ? <span className="muted"> by {pr.author}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <ul className="preview-changelog" aria-label="Commits">
        {changelog.commits.map((commit) => (
          <li key={commit.sha}>
            <GitCommitHorizontal size={14} aria-hidden />
            <a href={commit.url} target="_blank" rel="noreferrer" className="mono">
              {shortSha(commit.sha)}
            </a>{' '}
            <span>{commit.title}</span>
            <span className="muted"> by {commit.author}</span>
          </li>
        ))}
      </ul>
      {changelog.moreCommits > 0 ? (
        <p className="muted">
          and {changelog.moreCommits} more {changelog.moreCommits === 1 ? 'commit' : 'commits'}
        </p>
      ) : null}
    </>
  );
}
