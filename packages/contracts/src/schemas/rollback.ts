import { z } from 'zod';
import { isoDateTime, uuidSchema } from './common.js';
import { deploymentSchema } from './deployments.js';
import { releaseSchema } from './releases.js';

// What a rollback of one stage can go back to: every release that succeeded there before, newest
// finish first, and the default (the previous successful release by finish time, not the held one).
export const rollbackOptionsSchema = z
  .object({
    stageId: uuidSchema,
    current: releaseSchema.nullable(),
    defaultTarget: releaseSchema.nullable(),
    targets: z.array(z.object({ release: releaseSchema, lastSucceededAt: isoDateTime })),
    hold: z.object({ release: releaseSchema, reason: z.string().nullable() }).nullable(),
    // A deployment in flight on the stage now: a rollback cancels it first.
    active: deploymentSchema.nullable(),
  })
  .meta({ id: 'RollbackOptions' });
export type RollbackOptions = z.infer<typeof rollbackOptionsSchema>;

export const createRollbackBodySchema = z.object({
  // Without it, the default target.
  releaseId: uuidSchema.optional(),
  reason: z.string().trim().min(3, 'say why, in a few words').max(500),
});

export const stageHoldSchema = z
  .object({
    stageId: uuidSchema,
    hold: z.object({ release: releaseSchema, reason: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'StageHold' });
export type StageHold = z.infer<typeof stageHoldSchema>;
