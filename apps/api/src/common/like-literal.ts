// Prisma passes `contains`/`startsWith` values into LIKE unescaped, so `%` or `_` in a filter would
// match anything. This makes them literal.
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
