import { z } from 'zod';
import {
  deploymentKindSchema,
  deploymentStatusSchema,
  driverKindSchema,
  healthStatusSchema,
} from '../enums.js';
import { environmentSchema } from './catalog.js';
import { isoDateTime, pageLimit, uuidSchema } from './common.js';

export const boardReleaseSchema = z.object({
  id: uuidSchema,
  version: z.string(),
  commitSha: z.string(),
  createdAt: isoDateTime,
});

export const boardCellSchema = z
  .object({
    stageId: uuidSchema,
    environmentId: uuidSchema,
    driverKind: driverKindSchema,
    // What runs there now: the last release that succeeded on the stage, and when it finished.
    current: boardReleaseSchema.nullable(),
    deployedAt: isoDateTime.nullable(),
    // The deployment that last touched the stage (in flight or finished).
    lastDeployment: z
      .object({
        id: uuidSchema,
        status: deploymentStatusSchema,
        kind: deploymentKindSchema,
        // An admin overrode failing gates for it.
        breakGlass: z.boolean(),
        release: boardReleaseSchema,
        createdAt: isoDateTime,
        finishedAt: isoDateTime.nullable(),
      })
      .nullable(),
    health: healthStatusSchema,
    healthMessage: z.string(),
    lock: z.object({ by: z.string(), reason: z.string(), at: isoDateTime }).nullable(),
    // Set by a rollback: the release rolled back from may not come back here until released.
    hold: z.object({ release: boardReleaseSchema, reason: z.string().nullable() }).nullable(),
    // A newer release that succeeded in every upstream stage and has not reached this one yet.
    waiting: boardReleaseSchema.nullable(),
    // A freeze window open now over this stage (the one that closes last, if several).
    freeze: z
      .object({
        id: uuidSchema,
        reason: z.string(),
        scope: z.enum(['all', 'environment', 'service']),
        until: isoDateTime,
      })
      .nullable()
      .optional(),
  })
  .meta({ id: 'BoardCell' });
export type BoardCell = z.infer<typeof boardCellSchema>;

export const boardRowSchema = z
  .object({
    service: z.object({
      id: uuidSchema,
      slug: z.string(),
      name: z.string(),
      team: z.string().nullable(),
    }),
    // Keyed by environment id; an environment the service does not deploy to has no entry.
    cells: z.record(z.string(), boardCellSchema),
  })
  .meta({ id: 'BoardRow' });
export type BoardRow = z.infer<typeof boardRowSchema>;

export const boardSchema = z
  .object({
    environments: z.array(environmentSchema),
    rows: z.array(boardRowSchema),
    // Only on a page (`limit` or `cursor` given): the next page's `cursor`, null on the last page.
    nextCursor: z.string().nullable().optional(),
    generatedAt: isoDateTime,
  })
  .meta({ id: 'Board' });
export type Board = z.infer<typeof boardSchema>;

export const BOARD_PAGE_MAX = 500;

// Without `limit` and `cursor` the whole board comes in one body. With either, one page of rows
// (services, in board order; `limit` defaults to 50) and every environment.
export const boardQuerySchema = z.object({
  team: z.string().min(1).max(64).optional(),
  q: z.string().min(1).max(100).optional(),
  limit: pageLimit(BOARD_PAGE_MAX).optional(),
  // Longer than other cursors: it holds the last row's service name.
  cursor: z.string().min(1).max(1000).optional(),
});
