import { randomUUID } from 'node:crypto';
import type { ChecklistItem, DeploymentChecklist } from '@flightdeck/contracts';
import { z } from 'zod';

// Stored on `stages.checklist`: [{ id, text }].
const storedItemsSchema = z.array(z.object({ id: z.string(), text: z.string() }));
// Stored on `deployments.checklist`: one entry per confirmed item.
const storedConfirmationsSchema = z.array(z.object({ itemId: z.string(), by: z.string(), at: z.string() }));

export type Confirmation = z.infer<typeof storedConfirmationsSchema>[number];

export function checklistItemsOf(value: unknown): ChecklistItem[] {
  const parsed = storedItemsSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

export function confirmationsOf(value: unknown): Confirmation[] {
  const parsed = storedConfirmationsSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

// A new list from texts: an unchanged text keeps its id, so confirmations already given still count.
export function replaceItems(before: readonly ChecklistItem[], texts: readonly string[]): ChecklistItem[] {
  const unused = [...before];
  return texts.map((text) => {
    const index = unused.findIndex((item) => item.text === text);
    const kept = index >= 0 ? unused.splice(index, 1)[0] : undefined;
    return { id: kept?.id ?? randomUUID(), text };
  });
}

// The stage's items with the deployment's confirmations; null when the stage has no checklist.
export function deploymentChecklistOf(
  stageChecklist: unknown,
  deploymentChecklist: unknown,
): DeploymentChecklist | null {
  const items = checklistItemsOf(stageChecklist);
  if (items.length === 0) return null;
  const confirmations = confirmationsOf(deploymentChecklist);
  const rows = items.map((item) => {
    const confirmation = confirmations.find((entry) => entry.itemId === item.id);
    return { ...item, confirmedBy: confirmation?.by ?? null, confirmedAt: confirmation?.at ?? null };
  });
  return {
    items: rows,
    confirmed: rows.filter((row) => row.confirmedBy !== null).length,
    total: rows.length,
  };
}
