import { z } from 'zod';
import { DEPLOYMENT_STATUSES, deploymentKindSchema, deploymentStatusSchema } from '../enums.js';
import { isoDateTime, pageQuerySchema, slugSchema, uuidSchema } from './common.js';

export const releaseRefSchema = z.object({
  id: uuidSchema,
  version: z.string(),
  commitSha: z.string(),
});

export const deploymentSchema = z
  .object({
    id: uuidSchema,
    stageId: uuidSchema,
    serviceSlug: z.string(),
    environmentSlug: z.string(),
    release: releaseRefSchema,
    kind: deploymentKindSchema,
    status: deploymentStatusSchema,
    requestedBy: z.string(),
    reason: z.string(),
    driverUrl: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: isoDateTime,
    queuedAt: isoDateTime.nullable(),
    startedAt: isoDateTime.nullable(),
    finishedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Deployment' });
export type Deployment = z.infer<typeof deploymentSchema>;

export const deploymentEventSchema = z
  .object({
    id: z.string(),
    fromStatus: deploymentStatusSchema.nullable(),
    toStatus: deploymentStatusSchema,
    message: z.string(),
    actor: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'DeploymentEvent' });
export type DeploymentEvent = z.infer<typeof deploymentEventSchema>;

export const deploymentDetailSchema = deploymentSchema
  .extend({ events: z.array(deploymentEventSchema) })
  .meta({ id: 'DeploymentDetail' });
export type DeploymentDetail = z.infer<typeof deploymentDetailSchema>;

// `status` takes a comma-separated list, e.g. `?status=queued,running`.
const statusListSchema = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()))
  .pipe(z.array(z.enum(DEPLOYMENT_STATUSES)).min(1));

export const listDeploymentsQuerySchema = pageQuerySchema.extend({
  service: slugSchema.optional(),
  environment: slugSchema.optional(),
  status: statusListSchema.optional(),
});
