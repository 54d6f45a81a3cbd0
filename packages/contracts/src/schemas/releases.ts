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
    // Known bad: no stage may receive it until someone lifts this.
    quarantine: z.object({ by: z.string(), reason: z.string(), at: isoDateTime }).nullable(),
    // Who wrote the change (an email from CI), when known: approval policies may ban them from approving.
    author: z.string().nullable().default(null),
    // When the change was committed, when known: lead time for changes starts here.
    committedAt: isoDateTime.nullable().default(null),
  })
  .meta({ id: 'Release' });
export type Release = z.infer<typeof releaseSchema>;

export const listReleasesQuerySchema = pageQuerySchema.extend({
  service: slugSchema.optional(),
});

export const idParamsSchema = z.object({ id: uuidSchema });

// What CI sends when a build is ready to deploy. Releases are immutable once created.
export const createReleaseBodySchema = z.object({
  service: slugSchema,
  version: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._+\-/]*$/, 'must be a tag or short sha: letters, digits and . _ + - /'),
  commitSha: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/i, 'must be a hexadecimal commit sha (7 to 64 characters)')
    .transform((value) => value.toLowerCase()),
  artifactRef: z.string().min(1).max(500).optional(),
  notes: z.string().max(20_000).default(''),
  source: z.enum(['api', 'cli']).default('api'),
  author: z
    .email('must be an e-mail address')
    .max(254)
    .transform((value) => value.toLowerCase())
    .optional(),
  // The commit's time (ISO 8601 with an offset), for lead time for changes.
  committedAt: isoDateTime.optional(),
});

export const quarantineBodySchema = z.object({
  reason: z.string().trim().min(3, 'say why, in a few words').max(500),
});
