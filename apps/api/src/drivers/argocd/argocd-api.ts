import { z } from 'zod';

// The subset of Argo CD's REST API (its swagger 2.0 document, vendored at
// packages/test-kit/contracts/argocd-swagger.json) that Flightdeck reads and writes. Each schema names
// the definition it follows; test/drivers/argocd-contract.test.ts checks them against the document.
// Responses are read leniently: fields Argo adds are ignored, and a field of an unexpected shape
// does not fail the whole answer.

const optionalString = z.string().optional().catch(undefined);

// v1alpha1Info
export const argoInfoSchema = z.object({ name: optionalString, value: optionalString });

// v1alpha1HelmParameter
export const argoHelmParameterSchema = z.object({
  name: optionalString,
  value: optionalString,
  forceString: z.boolean().optional().catch(undefined),
});
export type ArgoHelmParameter = z.infer<typeof argoHelmParameterSchema>;

// v1alpha1ApplicationSource (the parts a release maps onto)
export const argoSourceSchema = z.object({
  repoURL: optionalString,
  path: optionalString,
  chart: optionalString,
  targetRevision: optionalString,
  helm: z
    .object({ parameters: z.array(argoHelmParameterSchema).optional().catch(undefined) })
    .optional()
    .catch(undefined),
  kustomize: z
    .object({ images: z.array(z.string()).optional().catch(undefined) })
    .optional()
    .catch(undefined),
});
export type ArgoSource = z.infer<typeof argoSourceSchema>;

// v1alpha1SyncOperation (within v1alpha1Operation)
export const argoOperationSchema = z.object({
  info: z.array(argoInfoSchema).optional().catch(undefined),
  initiatedBy: z
    .object({ username: optionalString, automated: z.boolean().optional().catch(undefined) })
    .optional()
    .catch(undefined),
  sync: z
    .object({
      revision: optionalString,
      prune: z.boolean().optional().catch(undefined),
      dryRun: z.boolean().optional().catch(undefined),
      syncOptions: z.array(z.string()).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});
export type ArgoOperation = z.infer<typeof argoOperationSchema>;

// v1alpha1OperationState. phase: Running, Terminating, Failed, Error, Succeeded.
export const argoOperationStateSchema = z.object({
  operation: argoOperationSchema.optional().catch(undefined),
  phase: optionalString,
  message: optionalString,
  startedAt: optionalString,
  finishedAt: optionalString,
  syncResult: z
    .object({ revision: optionalString, source: argoSourceSchema.optional().catch(undefined) })
    .optional()
    .catch(undefined),
});
export type ArgoOperationState = z.infer<typeof argoOperationStateSchema>;

// v1alpha1RevisionHistory
export const argoHistorySchema = z.object({
  id: z.coerce.number().int(),
  revision: optionalString,
  deployedAt: optionalString,
  source: argoSourceSchema.optional().catch(undefined),
});
export type ArgoHistory = z.infer<typeof argoHistorySchema>;

// v1alpha1Application
export const argoApplicationSchema = z.object({
  metadata: z.object({ name: optionalString, namespace: optionalString }).optional().catch(undefined),
  operation: argoOperationSchema.optional().catch(undefined),
  spec: z
    .object({
      project: optionalString,
      source: argoSourceSchema.optional().catch(undefined),
      syncPolicy: z
        .object({
          automated: z
            .object({ enabled: z.boolean().optional().catch(undefined) })
            .optional()
            .catch(undefined),
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
  status: z
    .object({
      // v1alpha1AppHealthStatus. status: Healthy, Progressing, Degraded, Suspended, Missing, Unknown.
      health: z.object({ status: optionalString, message: optionalString }).optional().catch(undefined),
      // v1alpha1SyncStatus. status: Synced, OutOfSync, Unknown.
      sync: z.object({ status: optionalString, revision: optionalString }).optional().catch(undefined),
      history: z.array(argoHistorySchema).optional().catch(undefined),
      operationState: argoOperationStateSchema.optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});
export type ArgoApplication = z.infer<typeof argoApplicationSchema>;

// applicationApplicationSyncWindow
export const argoSyncWindowSchema = z.object({
  kind: optionalString,
  schedule: optionalString,
  duration: optionalString,
  manualSync: z.boolean().optional().catch(undefined),
});
export type ArgoSyncWindow = z.infer<typeof argoSyncWindowSchema>;

// applicationApplicationSyncWindowsResponse
export const argoSyncWindowsSchema = z.object({
  assignedWindows: z.array(argoSyncWindowSchema).optional().catch(undefined),
  activeWindows: z.array(argoSyncWindowSchema).optional().catch(undefined),
  canSync: z.boolean().optional().catch(undefined),
});
export type ArgoSyncWindows = z.infer<typeof argoSyncWindowsSchema>;

// runtimeError: what Argo's gRPC gateway answers on any error.
export const argoErrorSchema = z.object({
  error: optionalString,
  message: optionalString,
  code: z.number().optional().catch(undefined),
});

// Requests, exactly as sent (applicationApplicationSyncRequest, applicationApplicationRollbackRequest,
// applicationApplicationPatchRequest).
export interface ArgoSyncRequest {
  readonly name: string;
  readonly appNamespace?: string;
  readonly project?: string;
  readonly revision?: string;
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly syncOptions?: { readonly items: readonly string[] };
  readonly infos?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

export interface ArgoRollbackRequest {
  readonly name: string;
  readonly appNamespace?: string;
  readonly project?: string;
  readonly id: number;
  readonly prune: boolean;
  readonly dryRun: boolean;
}

export interface ArgoPatchRequest {
  readonly name: string;
  readonly appNamespace?: string;
  readonly project?: string;
  // A JSON merge patch of the Application, as a string.
  readonly patch: string;
  readonly patchType: 'merge';
}
