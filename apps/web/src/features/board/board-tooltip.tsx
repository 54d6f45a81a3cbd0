import { useEffect, useId, useRef, useState, type FocusEvent, type PointerEvent } from 'react';
import { createPortal } from 'react-dom';
import { TOOLTIP_OPEN_DELAY_MS, tooltipPosition, type TooltipPosition } from '../../components/ui/tooltip';

interface Shown extends TooltipPosition {
  text: string;
}

const TIP = '[data-tip]';

// One tooltip for the whole board instead of one component per cell action: an element with `data-tip`
// shows its text on hover (after a short delay) or keyboard focus, and Escape, leaving or scrolling hides
// it (WCAG 1.4.13). Nothing renders until a tooltip is shown, so rows that scroll in pay nothing for it.
export function useBoardTooltip() {
  const id = useId();
  const [shown, setShown] = useState<Shown | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const open = useRef(false);

  const show = (trigger: HTMLElement, delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!trigger.isConnected) return;
      open.current = true;
      setShown({ text: trigger.dataset.tip ?? '', ...tooltipPosition(trigger.getBoundingClientRect()) });
    }, delay);
  };

  const hide = () => {
    clearTimeout(timer.current);
    // Scrolling calls this every frame: only a shown tooltip costs a render.
    if (!open.current) return;
    open.current = false;
    setShown(null);
  };

  useEffect(() => {
    if (!shown) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') hide();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  useEffect(() => () => clearTimeout(timer.current), []);

  const triggerOf = (target: EventTarget) =>
    target instanceof Element ? target.closest<HTMLElement>(TIP) : null;

  const handlers = {
    onPointerOver: (event: PointerEvent) => {
      const trigger = triggerOf(event.target);
      if (trigger) show(trigger, TOOLTIP_OPEN_DELAY_MS);
    },
    onPointerOut: (event: PointerEvent) => {
      const trigger = triggerOf(event.target);
      if (trigger && !(event.relatedTarget instanceof Node && trigger.contains(event.relatedTarget))) hide();
    },
    onFocus: (event: FocusEvent) => {
      const trigger = triggerOf(event.target);
      if (trigger) show(trigger, 0);
    },
    onBlur: hide,
    onScroll: hide,
  };

  const tooltip = shown
    ? createPortal(
        <span
          role="tooltip"
          id={id}
          className="tooltip"
          data-side={shown.below ? 'below' : 'above'}
          style={{ top: shown.top, left: shown.left }}
        >
          {shown.text}
        </span>,
        document.body,
      )
    : null;

  return { handlers, tooltip };
}
