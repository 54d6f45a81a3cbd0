import { z } from 'zod';
import { isoDateTime, uuidSchema } from './common.js';

// The longest period one request may cover: a year of daily buckets is still a small answer.
export const DELIVERY_METRICS_MAX_DAYS = 366;
export const DELIVERY_METRICS_DEFAULT_DAYS = 30;

export const deliveryBucketSchema = z.enum(['day', 'week']);
export type DeliveryBucket = z.infer<typeof deliveryBucketSchema>;

// Without from/to: the last 30 days up to now. Filters combine (all must hold).
export const deliveryMetricsQuerySchema = z
  .object({
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    bucket: deliveryBucketSchema.default('day'),
    serviceId: uuidSchema.optional(),
    teamId: uuidSchema.optional(),
    // Default: every production-tier environment.
    environmentId: uuidSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (!value.from || !value.to) return;
    const span = Date.parse(value.to) - Date.parse(value.from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (span > DELIVERY_METRICS_MAX_DAYS * 86_400_000) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `the period may span at most ${DELIVERY_METRICS_MAX_DAYS} days`,
      });
    }
  });
export type DeliveryMetricsQuery = z.infer<typeof deliveryMetricsQuerySchema>;

// DORA performance levels (Accelerate State of DevOps Report 2023); null when there is nothing to rate.
export const doraBandSchema = z.enum(['elite', 'high', 'medium', 'low']);
export type DoraBand = z.infer<typeof doraBandSchema>;

// Where lead time starts: the commit time CI or GitHub reported, the release's creation time when none
// did, or a mix of both across the changes counted.
export const leadTimeBasisSchema = z.enum(['commit', 'release', 'mixed', 'none']);
export type LeadTimeBasis = z.infer<typeof leadTimeBasisSchema>;

// What counts as a failed change: rollbacks always; incidents naming a deployment as their cause when
// the incidents table exists.
export const failureSourceSchema = z.enum(['rollback', 'incident']);

const seconds = z.number().nonnegative().nullable();

export const deliveryMetricsBucketSchema = z
  .object({
    // The bucket's first instant (UTC midnight; weeks start on Monday), clipped to the period.
    start: isoDateTime,
    end: isoDateTime,
    deployments: z.number().int().nonnegative(),
    leadTimeMedianSeconds: seconds,
    failures: z.number().int().nonnegative(),
    changeFailureRate: z.number().min(0).max(1).nullable(),
    restoreMedianSeconds: seconds,
  })
  .meta({ id: 'DeliveryMetricsBucket' });
export type DeliveryMetricsBucket = z.infer<typeof deliveryMetricsBucketSchema>;

export const deliveryMetricsSchema = z
  .object({
    from: isoDateTime,
    to: isoDateTime,
    bucket: deliveryBucketSchema,
    filters: z.object({
      serviceId: uuidSchema.nullable(),
      teamId: uuidSchema.nullable(),
      environmentId: uuidSchema.nullable(),
    }),
    // The environments measured (the chosen one, or every production-tier one).
    environments: z.array(z.object({ id: uuidSchema, slug: z.string(), name: z.string() })),
    failureSources: z.array(failureSourceSchema),
    deploymentFrequency: z.object({
      deployments: z.number().int().nonnegative(),
      perDay: z.number().nonnegative(),
      band: doraBandSchema.nullable(),
    }),
    leadTime: z.object({
      changes: z.number().int().nonnegative(),
      medianSeconds: seconds,
      p90Seconds: seconds,
      basis: leadTimeBasisSchema,
      // Changes whose release carried a commit time (the rest start at the release's creation).
      withCommitTime: z.number().int().nonnegative(),
      band: doraBandSchema.nullable(),
    }),
    changeFailureRate: z.object({
      deployments: z.number().int().nonnegative(),
      failures: z.number().int().nonnegative(),
      rate: z.number().min(0).max(1).nullable(),
      band: doraBandSchema.nullable(),
    }),
    timeToRestore: z.object({
      // Failed changes whose stage has succeeded again since.
      restored: z.number().int().nonnegative(),
      // Failed changes still waiting for a successful deployment on their stage.
      open: z.number().int().nonnegative(),
      medianSeconds: seconds,
      band: doraBandSchema.nullable(),
    }),
    series: z.array(deliveryMetricsBucketSchema),
  })
  .meta({ id: 'DeliveryMetrics' });
export type DeliveryMetrics = z.infer<typeof deliveryMetricsSchema>;
