import { z } from 'zod';

export const isoDateTime = z.iso.datetime({ offset: true });
export const uuidSchema = z.uuid();
export const slugSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes');

export const errorBodySchema = z
  .object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

// A page size from 1 to `max`, one message for every way it can be wrong.
export function pageLimit(max: number) {
  const message = `must be a whole number from 1 to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(1, message).max(max, message);
}

// Keyset pagination: `cursor` is opaque to clients and comes from the previous page's `nextCursor`.
export const pageQuerySchema = z.object({
  limit: pageLimit(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}
