import { z } from 'zod';

export const instanceInfoSchema = z
  .object({
    name: z.literal('Flightdeck'),
    version: z.string(),
    database: z.enum(['embedded', 'external']),
    demo: z.boolean(),
    // GitHub's web UI (https://github.com or a GitHub Enterprise Server), for links; null when the
    // configured GitHub API is neither.
    githubWebUrl: z.string().nullable(),
  })
  .meta({ id: 'InstanceInfo' });
export type InstanceInfo = z.infer<typeof instanceInfoSchema>;
