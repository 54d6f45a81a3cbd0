import { Search, X } from 'lucide-react';
import { useId } from 'react';
import { NO_TEAM, type BoardFilters, type BoardSummary } from './board-model';

interface BoardToolbarProps {
  filters: BoardFilters;
  onChange: (patch: Partial<BoardFilters>) => void;
  onClear: () => void;
  filtersActive: boolean;
  teams: readonly string[];
  hasUnassigned: boolean;
  summary: BoardSummary;
  total: number;
  freshness: React.ReactNode;
  // Board-wide actions (e.g. a release train), after the summary.
  actions?: React.ReactNode;
}

export function BoardToolbar(props: BoardToolbarProps) {
  const { filters, onChange, onClear, filtersActive, teams, hasUnassigned, summary, total, freshness } =
    props;
  const { actions } = props;
  const searchId = useId();
  const teamId = useId();
  // A team in the URL that no longer exists still shows as selected rather than silently vanishing.
  const teamOptions =
    filters.team && filters.team !== NO_TEAM && !teams.includes(filters.team)
      ? [...teams, filters.team]
      : teams;

  return (
    <div className="board-toolbar">
      <div className="toolbar-filters" role="search" aria-label="Filter the board">
        <div className="search-field">
          <label htmlFor={searchId} className="sr-only">
            Filter services by name or slug
          </label>
          <Search size={14} aria-hidden className="search-icon" />
          <input
            id={searchId}
            type="search"
            className="input"
            placeholder="Filter services…"
            autoComplete="off"
            spellCheck={false}
            value={filters.q}
            onChange={(event) => onChange({ q: event.target.value })}
          />
        </div>
        <div className="select-field">
          <label htmlFor={teamId} className="sr-only">
            Team
          </label>
          <select
            id={teamId}
            className="input select"
            value={filters.team}
            onChange={(event) => onChange({ team: event.target.value })}
          >
            <option value="">All teams</option>
            {teamOptions.map((team) => (
              <option key={team} value={team}>
                {team}
              </option>
            ))}
            {hasUnassigned ? <option value={NO_TEAM}>No team</option> : null}
          </select>
        </div>
        {filtersActive ? (
          <button type="button" className="button button-ghost" onClick={onClear}>
            <X size={14} aria-hidden />
            Clear
          </button>
        ) : null}
      </div>
      <div className="toolbar-summary">
        <p className="summary" role="status">
          <SummaryText summary={summary} total={total} filtered={filtersActive} />
        </p>
        {freshness}
        {actions ? <div className="toolbar-actions">{actions}</div> : null}
      </div>
    </div>
  );
}

function SummaryText({
  summary,
  total,
  filtered,
}: {
  summary: BoardSummary;
  total: number;
  filtered: boolean;
}) {
  const parts: { key: string; text: string; tone?: string }[] = [
    {
      key: 'services',
      text: filtered
        ? `${summary.services} of ${total} ${plural(total, 'service')}`
        : `${summary.services} ${plural(summary.services, 'service')}`,
    },
  ];
  if (summary.deploying)
    parts.push({ key: 'deploying', text: `${summary.deploying} deploying`, tone: 'info' });
  if (summary.pending) parts.push({ key: 'pending', text: `${summary.pending} pending`, tone: 'warning' });
  if (summary.failed) parts.push({ key: 'failed', text: `${summary.failed} failed`, tone: 'danger' });
  if (summary.degraded)
    parts.push({ key: 'degraded', text: `${summary.degraded} unhealthy`, tone: 'warning' });
  if (summary.locked) parts.push({ key: 'locked', text: `${summary.locked} locked` });
  return (
    <>
      {parts.map((part, index) => (
        <span key={part.key} className="summary-part" data-tone={part.tone}>
          {index > 0 ? (
            <span aria-hidden className="summary-sep">
              ·
            </span>
          ) : null}
          {part.text}
        </span>
      ))}
    </>
  );
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
