import type { Release } from '@flightdeck/contracts';
import { formatAge, formatTimestamp, shortSha } from '../../lib/time';

function firstLine(notes: string): string {
  return notes.split('\n', 1)[0]?.trim() ?? '';
}

// The releases a move crosses (forward) or reverts (backward), newest first: the promotion preview
// and the rollback dialog show the same table.
export function ReleaseChangesTable({
  releases,
  label,
  now,
}: {
  releases: readonly Release[];
  label: string;
  now: number;
}) {
  return (
    <div className="table-wrap preview-releases">
      <table className="table table-compact" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Commit</th>
            <th scope="col">Notes</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {releases.map((release) => (
            <tr key={release.id}>
              <th scope="row" className="mono cell-strong nowrap">
                {release.version}
              </th>
              <td className="mono" title={release.commitSha}>
                {shortSha(release.commitSha)}
              </td>
              <td className="preview-notes" title={release.notes || undefined}>
                {firstLine(release.notes) || <span className="muted">No notes</span>}
              </td>
              <td className="nowrap">
                <time dateTime={release.createdAt} title={formatTimestamp(release.createdAt)}>
                  {formatAge(release.createdAt, now)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
