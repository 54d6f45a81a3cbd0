import { z } from 'zod';
import { isoDateTime, uuidSchema } from './common.js';

// What a stage asks the requester to confirm before a deployment there starts.
export const checklistItemSchema = z
  .object({ id: uuidSchema, text: z.string() })
  .meta({ id: 'ChecklistItem' });
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const stageChecklistSchema = z
  .object({
    stageId: uuidSchema,
    // Empty when the stage asks for no checklist.
    items: z.array(checklistItemSchema),
  })
  .meta({ id: 'StageChecklist' });
export type StageChecklist = z.infer<typeof stageChecklistSchema>;

// Replaces the list; an item whose text is unchanged keeps its id (and the confirmations given for it).
export const putStageChecklistBodySchema = z.object({
  items: z
    .array(
      z.object({
        text: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
      }),
    )
    .max(20, 'must have at most 20 items'),
});
export type PutStageChecklistBody = z.infer<typeof putStageChecklistBodySchema>;

export const deploymentChecklistSchema = z
  .object({
    items: z.array(
      checklistItemSchema.extend({
        confirmedBy: z.string().nullable(),
        confirmedAt: isoDateTime.nullable(),
      }),
    ),
    confirmed: z.number().int(),
    total: z.number().int(),
  })
  .meta({ id: 'DeploymentChecklist' });
export type DeploymentChecklist = z.infer<typeof deploymentChecklistSchema>;

export const confirmChecklistItemBodySchema = z.object({
  itemId: uuidSchema,
  // Confirmations are final: there is no unchecking.
  checked: z.literal(true),
});
export type ConfirmChecklistItemBody = z.infer<typeof confirmChecklistItemBodySchema>;
