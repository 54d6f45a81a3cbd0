import { z } from 'zod';
import { isoDateTime } from './common.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000);
const name = z.string().trim().min(1).max(100);

export const httpCheckSchema = z.object({
  name,
  url: httpUrl,
  expectStatus: z.number().int().min(100).max(599).default(200),
  // Optional text the body must contain.
  bodyContains: z.string().max(500).optional(),
  // Failed probes in a row that fail verification.
  failuresAllowed: z.number().int().min(0).max(100).default(2),
  timeoutSeconds: z.number().int().min(1).max(60).default(5),
});

// A PromQL query against a Prometheus-compatible HTTP API; fails when the value is on the wrong side
// of the threshold for `forSeconds` in a row (0: at once).
export const metricCheckSchema = z.object({
  name,
  prometheusUrl: httpUrl,
  query: z.string().trim().min(1).max(2000),
  comparison: z.enum(['above', 'below']),
  threshold: z.number(),
  forSeconds: z.number().int().min(0).max(86_400).default(0),
});

export const verificationConfigSchema = z
  .object({
    // How long the checks watch after the driver reports done; 0 with no checks: success at once.
    windowSeconds: z.number().int().min(0).max(86_400).default(0),
    intervalSeconds: z.number().int().min(1).max(600).default(15),
    // Fail when the driver reports the stage degraded or missing.
    driverHealth: z.boolean().default(true),
    http: z.array(httpCheckSchema).max(10).default([]),
    metrics: z.array(metricCheckSchema).max(10).default([]),
  })
  .meta({ id: 'VerificationConfig' });
export type VerificationConfig = z.infer<typeof verificationConfigSchema>;

export const stageVerificationSchema = z
  .object({
    verification: verificationConfigSchema,
    // Roll back to the previous successful release by itself when verification fails.
    autoRollback: z.boolean(),
  })
  .meta({ id: 'StageVerification' });
export type StageVerification = z.infer<typeof stageVerificationSchema>;

export const putStageVerificationBodySchema = z.object({
  verification: verificationConfigSchema,
  autoRollback: z.boolean().default(false),
});

export const checkResultSchema = z.object({
  name: z.string(),
  kind: z.enum(['driver', 'http', 'metric']),
  state: z.enum(['pending', 'passing', 'failing', 'failed']),
  message: z.string(),
  checkedAt: isoDateTime.nullable(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

// A deployment's verification as it went: the window, each check's latest result and the outcome.
export const verificationStatusSchema = z
  .object({
    startedAt: isoDateTime,
    until: isoDateTime,
    outcome: z.enum(['running', 'passed', 'failed']),
    checks: z.array(checkResultSchema),
  })
  .meta({ id: 'VerificationStatus' });
export type VerificationStatus = z.infer<typeof verificationStatusSchema>;
