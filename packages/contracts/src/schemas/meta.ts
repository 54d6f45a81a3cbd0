import { z } from 'zod';

export const instanceInfoSchema = z
  .object({
    name: z.literal('Flightdeck'),
    version: z.string(),
    database: z.enum(['embedded', 'external']),
    demo: z.boolean(),
  })
  .meta({ id: 'InstanceInfo' });
export type InstanceInfo = z.infer<typeof instanceInfoSchema>;
