import { useId } from 'react';

export interface ChartPoint {
  label: string;
  value: number | null;
}

interface BarChartProps {
  title: string;
  points: readonly ChartPoint[];
  format: (value: number | null) => string;
  tone?: 'accent' | 'warning';
}

const WIDTH = 600;
const HEIGHT = 140;

// A small SVG bar chart: bars only (it stretches to its box), labels in HTML so text never distorts,
// and the same figures as a table for screen readers.
export function BarChart({ title, points, format, tone = 'accent' }: BarChartProps) {
  const titleId = useId();
  const max = Math.max(0, ...points.map((point) => point.value ?? 0));
  const slot = WIDTH / Math.max(points.length, 1);
  const gap = Math.min(slot * 0.25, 6);
  const edges = points.length > 1 ? [points[0]!, points[points.length - 1]!] : points;
  return (
    <figure className="dm-chart" data-tone={tone}>
      <figcaption id={titleId} className="dm-chart-title">
        {title}
      </figcaption>
      <div className="dm-chart-body">
        <span className="dm-chart-max" aria-hidden>
          {max > 0 ? format(max) : ''}
        </span>
        <svg
          className="dm-chart-svg"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          aria-hidden
          focusable="false"
        >
          <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="dm-chart-axis" />
          {points.map((point, index) =>
            point.value !== null && max > 0 ? (
              <rect
                key={point.label + String(index)}
                className="dm-chart-bar"
                x={index * slot + gap / 2}
                width={Math.max(slot - gap, 1)}
                y={HEIGHT - (point.value / max) * (HEIGHT - 4)}
                height={(point.value / max) * (HEIGHT - 4)}
              >
                <title>{`${point.label}: ${format(point.value)}`}</title>
              </rect>
            ) : null,
          )}
        </svg>
        <div className="dm-chart-labels" aria-hidden>
          {edges.map((point) => (
            <span key={point.label}>{point.label}</span>
          ))}
        </div>
      </div>
      <table className="sr-only" aria-labelledby={titleId}>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">{title}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((point, index) => (
            <tr key={point.label + String(index)}>
              <th scope="row">{point.label}</th>
              <td>{format(point.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
