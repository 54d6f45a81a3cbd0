import type { ReactNode } from 'react';
import type { Tone } from './tone';

interface BadgeProps {
  tone?: Tone | 'accent';
  variant?: 'soft' | 'outline';
  icon?: ReactNode;
  title?: string;
  className?: string;
  children: ReactNode;
}

export function Badge({ tone = 'neutral', variant = 'soft', icon, title, className, children }: BadgeProps) {
  return (
    <span
      className={className ? `badge ${className}` : 'badge'}
      data-tone={tone}
      data-variant={variant}
      title={title}
    >
      {icon}
      {children}
    </span>
  );
}
