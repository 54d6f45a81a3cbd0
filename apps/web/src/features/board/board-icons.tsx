import {
  ArrowUpRight,
  FileClock,
  FlaskConical,
  Hourglass,
  ListChecks,
  Lock,
  LockOpen,
  Siren,
  Snowflake,
  Undo2,
  type LucideIcon,
} from 'lucide-react';
import { DEPLOYMENT_STATUS_META, HEALTH_STATUS_META } from '../status/status-meta';

// The board draws thousands of icons while it scrolls. Each lucide component is a React component and an
// <svg> with several children; here every icon is drawn once, as a <symbol> in one hidden sprite, and a
// cell refers to it with <svg><use/></svg>: two nodes and no component per icon.

const CELL_ICONS = {
  'arrow-up-right': ArrowUpRight,
  'file-clock': FileClock,
  'flask-conical': FlaskConical,
  hourglass: Hourglass,
  'list-checks': ListChecks,
  lock: Lock,
  'lock-open': LockOpen,
  siren: Siren,
  snowflake: Snowflake,
  undo: Undo2,
} as const satisfies Record<string, LucideIcon>;

export type BoardIconName = keyof typeof CELL_ICONS | `status-${string}`;

// The status pills' icons, numbered in the order of their tables, drawn with the pills' heavier stroke.
const STATUS_ICONS = new Map<LucideIcon, BoardIconName>();
for (const meta of [...Object.values(DEPLOYMENT_STATUS_META), ...Object.values(HEALTH_STATUS_META)]) {
  if (!STATUS_ICONS.has(meta.Icon)) STATUS_ICONS.set(meta.Icon, `status-${STATUS_ICONS.size}`);
}

export function statusIconName(Icon: LucideIcon): BoardIconName {
  return STATUS_ICONS.get(Icon) ?? 'status-0';
}

const symbolId = (name: BoardIconName) => `board-icon-${name}`;

// Rendered once per board; the symbols keep lucide's own geometry and stroke.
export function BoardIconSprite() {
  return (
    <svg className="board-icon-sprite" aria-hidden="true" focusable="false">
      {Object.entries(CELL_ICONS).map(([name, Icon]) => (
        <symbol key={name} id={symbolId(name as BoardIconName)} viewBox="0 0 24 24">
          <Icon size={24} />
        </symbol>
      ))}
      {[...STATUS_ICONS].map(([Icon, name]) => (
        <symbol key={name} id={symbolId(name)} viewBox="0 0 24 24">
          <Icon size={24} strokeWidth={2.25} />
        </symbol>
      ))}
    </svg>
  );
}

interface BoardIconProps {
  name: BoardIconName;
  size: number;
  className?: string;
}

// Decorative: the text next to it, or the button's label, says what it means.
export function BoardIcon({ name, size, className }: BoardIconProps) {
  return (
    <svg className={className} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <use href={`#${symbolId(name)}`} />
    </svg>
  );
}
