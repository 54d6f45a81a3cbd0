export interface DiffRow {
  path: string;
  kind: 'added' | 'removed' | 'changed' | 'same';
  before?: string;
  after?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Objects are walked to leaves ("policy.approvals"); arrays and scalars compare as JSON.
function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.set(prefix || '(value)', JSON.stringify(value));
}

// A field-by-field view of an audit event's before and after states.
export function diffStates(before: unknown, after: unknown): DiffRow[] {
  const left = new Map<string, string>();
  const right = new Map<string, string>();
  if (before !== null && before !== undefined) flatten(before, '', left);
  if (after !== null && after !== undefined) flatten(after, '', right);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort();
  return paths.map((path) => {
    const was = left.get(path);
    const now = right.get(path);
    if (was === undefined) return { path, kind: 'added', after: now };
    if (now === undefined) return { path, kind: 'removed', before: was };
    return { path, kind: was === now ? 'same' : 'changed', before: was, after: now };
  });
}
