import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface TooltipProps {
  content: ReactNode;
  children: ReactNode;
  className?: string;
}

export interface TooltipPosition {
  top: number;
  left: number;
  below: boolean;
}

export const TOOLTIP_OPEN_DELAY_MS = 250;

// Centred on the trigger, above it unless too near the top, and kept clear of the window's sides.
export function tooltipPosition(rect: DOMRect): TooltipPosition {
  const below = rect.top < 72;
  const left = Math.min(Math.max(rect.left + rect.width / 2, 140), window.innerWidth - 140);
  return { top: below ? rect.bottom + 6 : rect.top - 6, left, below };
}

// Rendered in a portal with fixed positioning so scroll containers and sticky headers never clip it.
// Opens on hover and keyboard focus, closes on Escape (WCAG 1.4.13).
export function Tooltip({ content, children, className }: TooltipProps) {
  const id = useId();
  const trigger = useRef<HTMLSpanElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [position, setPosition] = useState<TooltipPosition | null>(null);

  const show = useCallback((delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const rect = trigger.current?.getBoundingClientRect();
      if (rect) setPosition(tooltipPosition(rect));
    }, delay);
  }, []);

  const hide = useCallback(() => {
    clearTimeout(timer.current);
    setPosition(null);
  }, []);

  useEffect(() => {
    if (!position) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') hide();
    };
    document.addEventListener('keydown', onKey);
    window.addEventListener('scroll', hide, true);
    return () => {
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('scroll', hide, true);
    };
  }, [position, hide]);

  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <>
      <span
        ref={trigger}
        className={className ? `tooltip-trigger ${className}` : 'tooltip-trigger'}
        aria-describedby={position ? id : undefined}
        onMouseEnter={() => show(TOOLTIP_OPEN_DELAY_MS)}
        onMouseLeave={hide}
        onFocus={() => show(0)}
        onBlur={hide}
      >
        {children}
      </span>
      {position
        ? createPortal(
            <span
              role="tooltip"
              id={id}
              className="tooltip"
              data-side={position.below ? 'below' : 'above'}
              style={{ top: position.top, left: position.left }}
            >
              {content}
            </span>,
            document.body,
          )
        : null}
    </>
  );
}
