import { z } from 'zod';
import { isoDateTime, uuidSchema } from './common.js';
import { releaseSchema } from './releases.js';

// Everything that can stand between a release and a stage (`soak` also carries an approval policy's
// wait timer). Later features (approvals, CI checks,
// incidents, deployment windows, quarantine) add their kinds to the same evaluator.
export const GATE_KINDS = [
  'lock',
  'freeze',
  'window',
  'upstream',
  'soak',
  'approvals',
  'checks',
  'hold',
  'quarantine',
  'incident',
  // The stage's checklist, confirmed item by item by the requester.
  'checklist',
  // Another deployment is running on the stage; this one starts after it.
  'busy',
] as const;
export const gateKindSchema = z.enum(GATE_KINDS);

export const gateSchema = z
  .object({
    kind: gateKindSchema,
    // pass: nothing in the way; waiting: will pass by itself (time, a running deployment); fail: needs a person.
    state: z.enum(['pass', 'waiting', 'fail']),
    message: z.string(),
    // When a waiting or failing gate is expected to clear, when known.
    until: isoDateTime.nullable(),
    // An in-app page with more about what stands in the way (e.g. the incident that freezes production).
    link: z.object({ label: z.string(), href: z.string() }).nullable().optional(),
  })
  .meta({ id: 'Gate' });
export type Gate = z.infer<typeof gateSchema>;

export const promotionPreviewSchema = z
  .object({
    stage: z.object({ id: uuidSchema, serviceSlug: z.string(), environmentSlug: z.string() }),
    candidate: releaseSchema.nullable(),
    current: releaseSchema.nullable(),
    gates: z.array(gateSchema),
    // True when no gate fails or waits.
    ready: z.boolean(),
    // One sentence for the button's tooltip: what happens, or why not.
    summary: z.string(),
    // The releases the stage would move through: newer ones going forward, or the ones being reverted.
    changes: z.object({
      direction: z.enum(['forward', 'backward', 'none']),
      releases: z.array(releaseSchema),
    }),
  })
  .meta({ id: 'PromotionPreview' });
export type PromotionPreview = z.infer<typeof promotionPreviewSchema>;

export const previewQuerySchema = z.object({ release: uuidSchema.optional() });
