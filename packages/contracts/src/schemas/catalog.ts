import { z } from 'zod';
import { driverKindSchema, tierKindSchema } from '../enums.js';
import { isoDateTime, pageQuerySchema, slugSchema, uuidSchema } from './common.js';

export const serviceSchema = z
  .object({
    id: uuidSchema,
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    team: z.string().nullable(),
    repository: z.object({ owner: z.string(), name: z.string() }).nullable(),
    defaultBranch: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Service' });
export type Service = z.infer<typeof serviceSchema>;

export const listServicesQuerySchema = pageQuerySchema.extend({
  team: z.string().min(1).max(64).optional(),
  q: z.string().min(1).max(100).optional(),
});

export const serviceParamsSchema = z.object({ slug: slugSchema });

export const environmentSchema = z
  .object({
    id: uuidSchema,
    slug: z.string(),
    name: z.string(),
    position: z.number().int(),
    tier: tierKindSchema,
  })
  .meta({ id: 'Environment' });
export type Environment = z.infer<typeof environmentSchema>;

export const stageSchema = z
  .object({
    id: uuidSchema,
    serviceId: uuidSchema,
    serviceSlug: z.string(),
    environmentId: uuidSchema,
    environmentSlug: z.string(),
    driverKind: driverKindSchema,
    soakSeconds: z.number().int(),
    deadlineSeconds: z.number().int(),
    autoPromote: z.boolean(),
    upstreamStageIds: z.array(uuidSchema),
  })
  .meta({ id: 'Stage' });
export type Stage = z.infer<typeof stageSchema>;

export const listStagesQuerySchema = z.object({
  service: slugSchema.optional(),
  environment: slugSchema.optional(),
});
