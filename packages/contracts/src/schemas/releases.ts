import { z } from 'zod';
import { releaseSourceSchema } from '../enums.js';
import { isoDateTime, pageQuerySchema, slugSchema, uuidSchema } from './common.js';

export const releaseSchema = z
  .object({
    id: uuidSchema,
    serviceId: uuidSchema,
    serviceSlug: z.string(),
    version: z.string(),
    commitSha: z.string(),
    artifactRef: z.string().nullable(),
    notes: z.string(),
    source: releaseSourceSchema,
    createdAt: isoDateTime,
  })
  .meta({ id: 'Release' });
export type Release = z.infer<typeof releaseSchema>;

export const listReleasesQuerySchema = pageQuerySchema.extend({
  service: slugSchema.optional(),
});

export const idParamsSchema = z.object({ id: uuidSchema });
