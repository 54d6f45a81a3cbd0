import type { DriverContext, JsonObject, StartIntent } from '../drivers/driver.js';
import type { Deployment, Release, Stage } from '../generated/prisma/client.js';

export type DeploymentForDriver = Deployment & {
  readonly release: Release;
  readonly stage: Stage & { readonly service: { slug: string }; readonly environment: { slug: string } };
};

export const deploymentForDriverInclude = {
  release: true,
  stage: { include: { service: { select: { slug: true } }, environment: { select: { slug: true } } } },
} as const;

// What a driver is told about one deployment; it never sees database rows.
export function driverContext(
  deployment: DeploymentForDriver,
  progress: { started: boolean; state: JsonObject | null; intent?: StartIntent | null },
  signal: AbortSignal,
): DriverContext {
  return {
    deployment: {
      id: deployment.id,
      kind: deployment.kind,
      requestedBy: deployment.requestedBy,
      reason: deployment.reason,
      deadlineAt: deployment.deadlineAt,
    },
    stage: {
      id: deployment.stageId,
      serviceSlug: deployment.stage.service.slug,
      environmentSlug: deployment.stage.environment.slug,
      driverKind: deployment.stage.driverKind,
      driverConfig: deployment.stage.driverConfig,
    },
    release: {
      id: deployment.release.id,
      version: deployment.release.version,
      commitSha: deployment.release.commitSha,
      artifactRef: deployment.release.artifactRef,
      notes: deployment.release.notes,
    },
    started: progress.started,
    state: progress.state,
    intent: progress.intent ?? null,
    now: new Date(),
    signal,
  };
}
