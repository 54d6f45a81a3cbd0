import type { LucideIcon } from 'lucide-react';
import type { Tone } from './tone';

interface StatusPillProps {
  tone: Tone;
  Icon: LucideIcon;
  label: string;
  // Animates the icon (e.g. a spinner for running work); disabled under prefers-reduced-motion.
  spinning?: boolean;
  quiet?: boolean;
  title?: string;
  children?: React.ReactNode;
}

// Status is never colour alone: colour, icon and text together.
export function StatusPill({ tone, Icon, label, spinning, quiet, title, children }: StatusPillProps) {
  return (
    <span className="status-pill" data-tone={tone} data-quiet={quiet || undefined} title={title}>
      <Icon
        className={spinning ? 'status-icon spin' : 'status-icon'}
        size={13}
        strokeWidth={2.25}
        aria-hidden
      />
      <span className="status-label">{label}</span>
      {children}
    </span>
  );
}
