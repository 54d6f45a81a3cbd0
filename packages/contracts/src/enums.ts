import { z } from 'zod';

export const TIER_KINDS = ['development', 'staging', 'production'] as const;
export const tierKindSchema = z.enum(TIER_KINDS);
export type TierKind = z.infer<typeof tierKindSchema>;

export const DRIVER_KINDS = ['sandbox', 'record', 'webhook', 'argocd', 'github_actions'] as const;
export const driverKindSchema = z.enum(DRIVER_KINDS);
export type DriverKind = z.infer<typeof driverKindSchema>;

export const RELEASE_SOURCES = ['webhook', 'poll', 'api', 'cli', 'seed'] as const;
export const releaseSourceSchema = z.enum(RELEASE_SOURCES);
export type ReleaseSource = z.infer<typeof releaseSourceSchema>;

export const DEPLOYMENT_KINDS = ['promote', 'rollback', 'redeploy', 'record'] as const;
export const deploymentKindSchema = z.enum(DEPLOYMENT_KINDS);
export type DeploymentKind = z.infer<typeof deploymentKindSchema>;

export const DEPLOYMENT_STATUSES = [
  'pending',
  'queued',
  'running',
  'verifying',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'rejected',
  'superseded',
  'expired',
] as const;
export const deploymentStatusSchema = z.enum(DEPLOYMENT_STATUSES);
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;

export const HEALTH_STATUSES = [
  'healthy',
  'progressing',
  'degraded',
  'suspended',
  'missing',
  'unknown',
] as const;
export const healthStatusSchema = z.enum(HEALTH_STATUSES);
export type HealthStatus = z.infer<typeof healthStatusSchema>;
