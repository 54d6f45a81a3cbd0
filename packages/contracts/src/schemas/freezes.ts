import { z } from 'zod';
import { isoDateTime, slugSchema, uuidSchema } from './common.js';

export const FREEZE_SCOPES = ['all', 'environment', 'service'] as const;
export const freezeScopeSchema = z.enum(FREEZE_SCOPES);

const windowSpan = z.object({ start: isoDateTime, end: isoDateTime });

export const freezeWindowSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('oneoff'), startsAt: isoDateTime, endsAt: isoDateTime }),
  z.object({
    kind: z.literal('recurring'),
    // Five fields: minute hour day-of-month month day-of-week, e.g. "0 16 * * 5" (Fridays 16:00).
    cron: z.string().trim().min(9).max(100),
    durationMinutes: z.number().int().min(1).max(10_080),
    timezone: z.string().min(1).max(64),
  }),
]);

export const freezeSchema = z
  .object({
    id: uuidSchema,
    scope: freezeScopeSchema,
    environmentSlug: z.string().nullable(),
    serviceSlug: z.string().nullable(),
    reason: z.string(),
    window: freezeWindowSchema,
    // The window open now, if any, and the next one to open (recurring freezes), for "frozen until …".
    current: windowSpan.nullable(),
    next: windowSpan.nullable(),
    createdBy: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Freeze' });
export type Freeze = z.infer<typeof freezeSchema>;

export const createFreezeBodySchema = z
  .object({
    scope: freezeScopeSchema,
    environment: slugSchema.optional(),
    service: slugSchema.optional(),
    reason: z.string().trim().min(3, 'say why, in a few words').max(500),
    window: freezeWindowSchema,
  })
  .superRefine((value, ctx) => {
    const wants: readonly string[] = { all: [], environment: ['environment'], service: ['service'] }[
      value.scope
    ];
    for (const field of ['environment', 'service'] as const) {
      const given = value[field] !== undefined;
      if (given !== wants.includes(field)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: given ? `not allowed with scope "${value.scope}"` : `required with scope "${value.scope}"`,
        });
      }
    }
    if (value.window.kind === 'oneoff' && value.window.endsAt <= value.window.startsAt) {
      ctx.addIssue({ code: 'custom', path: ['window', 'endsAt'], message: 'must be after startsAt' });
    }
  });

export const listFreezesQuerySchema = z.object({
  active: z.enum(['true', 'false']).optional(),
});
