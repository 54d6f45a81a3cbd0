import { z } from 'zod';
import { isoDateTime, slugSchema, uuidSchema } from './common.js';

const span = z.object({ start: isoDateTime, end: isoDateTime });

// When deployments to an environment may start. An environment with windows takes deployments only
// while one is open; freezes are the other side (when they may not).
export const deploymentWindowSchema = z
  .object({
    id: uuidSchema,
    environmentSlug: z.string(),
    name: z.string(),
    // Five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5" (weekdays 09:00).
    cron: z.string(),
    durationMinutes: z.number().int(),
    timezone: z.string(),
    // The opening now, if any, and the next one.
    current: span.nullable(),
    next: span.nullable(),
    createdBy: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'DeploymentWindow' });
export type DeploymentWindow = z.infer<typeof deploymentWindowSchema>;

export const createDeploymentWindowBodySchema = z.object({
  environment: slugSchema,
  name: z.string().trim().min(3, 'name it in a few words').max(100),
  cron: z.string().trim().min(9).max(100),
  durationMinutes: z.number().int().min(1).max(10_080),
  timezone: z.string().min(1).max(64),
});

export const listDeploymentWindowsQuerySchema = z.object({ environment: slugSchema.optional() });
