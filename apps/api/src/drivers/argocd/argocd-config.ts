import { argoReleaseMappingSchema } from '@flightdeck/contracts';
import { z } from 'zod';
import type { SecretBox } from '../../secrets/secret-box.js';

export type ArgoReleaseMapping = z.infer<typeof argoReleaseMappingSchema>;

// What an argocd stage keeps in stages.driver_config: the input settings, with the token sealed.
export const argoStoredConfigSchema = z.object({
  serverUrl: z.string().url(),
  tokenSealed: z.string().min(1).nullable().default(null),
  application: z.string().min(1),
  project: z.string().min(1).nullable().default(null),
  appNamespace: z.string().min(1).nullable().default(null),
  mapping: argoReleaseMappingSchema.default({ kind: 'revision', value: 'commitSha' }),
  prune: z.boolean().default(false),
  syncOptions: z.array(z.string()).default([]),
  timeoutSeconds: z.number().int().min(1).max(60).default(10),
  pollIntervalSeconds: z.number().int().min(1).max(300).default(5),
});
export type ArgoStoredConfig = z.infer<typeof argoStoredConfigSchema>;

export type PublicArgoConfig = Omit<ArgoStoredConfig, 'tokenSealed'> & { readonly tokenSet: boolean };

// Associated data binds a sealed token to its stage: copied to another stage's row, it does not open.
export function argoTokenAad(stageId: string): string {
  return `stage:${stageId}:argocd-token`;
}

export function parseArgoConfig(raw: unknown): ArgoStoredConfig | null {
  const parsed = argoStoredConfigSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export function publicArgoConfig(config: ArgoStoredConfig): PublicArgoConfig {
  const { tokenSealed, ...rest } = config;
  return { ...rest, tokenSet: tokenSealed !== null };
}

// Throws SecretBoxError when the value was altered or sealed under another key or stage.
export function openArgoToken(box: SecretBox, stageId: string, config: ArgoStoredConfig): string | null {
  return config.tokenSealed === null ? null : box.open(config.tokenSealed, argoTokenAad(stageId));
}

export interface ArgoTarget {
  // The git revision to sync to, when the release maps to one.
  readonly revision: string | null;
  // A JSON merge patch to write into the Application first, when the release maps to an image tag.
  readonly patch: Record<string, unknown> | null;
  // For people: "revision 9fceb02", "Helm parameter image.tag=v1.4.2".
  readonly describe: string;
}

export interface ReleaseFields {
  readonly version: string;
  readonly commitSha: string;
}

export function releaseValue(mapping: ArgoReleaseMapping, release: ReleaseFields): string {
  return mapping.value === 'commitSha' ? release.commitSha : release.version;
}

// Kustomize image overrides are `name=newName:tag` or `name:tag`; ours replaces the tag of `image`.
export function kustomizeImageOverride(image: string, tag: string): string {
  return `${image}:${tag}`;
}

function imageName(override: string): string {
  const at = override.indexOf('=');
  const name = at >= 0 ? override.slice(0, at) : override;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

// What to ask of Argo CD for one release, given the application's current source (merge patches
// replace arrays whole, so the other parameters and images are kept as they are).
export function argoTarget(
  config: ArgoStoredConfig,
  release: ReleaseFields,
  source: {
    helm?: { parameters?: Array<{ name?: string; value?: string; forceString?: boolean }> };
    kustomize?: { images?: string[] };
  } | null,
): ArgoTarget {
  const mapping = config.mapping;
  const value = releaseValue(mapping, release);
  if (mapping.kind === 'revision') {
    return { revision: value, patch: null, describe: `revision ${short(value)}` };
  }
  if (mapping.kind === 'helmParameter') {
    const others = (source?.helm?.parameters ?? []).filter((p) => p.name !== mapping.parameter);
    return {
      revision: null,
      patch: {
        spec: { source: { helm: { parameters: [...others, { name: mapping.parameter, value }] } } },
      },
      describe: `Helm parameter ${mapping.parameter}=${value}`,
    };
  }
  const others = (source?.kustomize?.images ?? []).filter((i) => imageName(i) !== mapping.image);
  const override = kustomizeImageOverride(mapping.image, value);
  return {
    revision: null,
    patch: { spec: { source: { kustomize: { images: [...others, override] } } } },
    describe: `kustomize image ${override}`,
  };
}

// Whether a source (a history entry's, or the last sync's) deploys this release.
export function sourceDeploys(
  config: ArgoStoredConfig,
  release: ReleaseFields,
  revision: string | undefined,
  source:
    | {
        helm?: { parameters?: Array<{ name?: string; value?: string }> };
        kustomize?: { images?: string[] };
      }
    | undefined,
): boolean {
  const mapping = config.mapping;
  const value = releaseValue(mapping, release);
  if (mapping.kind === 'revision') return revision === release.commitSha || revision === value;
  if (mapping.kind === 'helmParameter') {
    return (source?.helm?.parameters ?? []).some((p) => p.name === mapping.parameter && p.value === value);
  }
  const override = kustomizeImageOverride(mapping.image, value);
  return (source?.kustomize?.images ?? []).some((i) => i === override || i.endsWith(`=${override}`));
}

export function short(revision: string): string {
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 7) : revision;
}
