import type { DoraBand } from '@flightdeck/contracts';
import type { ReactNode } from 'react';
import { StatusPill } from '../../components/ui/status-pill';
import { BAND_META } from './delivery-metrics-format';

interface KpiTileProps {
  title: string;
  value: string;
  detail: ReactNode;
  band: DoraBand | null;
  // What the figure means, in a sentence.
  explanation: string;
}

export function KpiTile({ title, value, detail, band, explanation }: KpiTileProps) {
  const meta = BAND_META[band ?? 'none'];
  return (
    <section className="dm-tile" aria-label={title}>
      <header className="dm-tile-header">
        <h2 className="dm-tile-title">{title}</h2>
        <StatusPill tone={meta.tone} Icon={meta.Icon} label={meta.label} title={`DORA band: ${meta.label}`} />
      </header>
      <p className="dm-tile-value">{value}</p>
      <p className="dm-tile-detail">{detail}</p>
      <p className="dm-tile-explanation">{explanation}</p>
    </section>
  );
}
