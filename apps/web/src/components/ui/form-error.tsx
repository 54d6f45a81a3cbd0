import { describeError } from '../../lib/errors';
import { InlineError } from './field';

// The banner for a failure that belongs to no single field (network, server error, …).
export function FormError({ error, title }: { error: unknown; title: string }) {
  if (!error) return null;
  return <InlineError title={title}>{describeError(error).message}</InlineError>;
}
