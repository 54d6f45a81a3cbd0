import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../src/config/config.js';

// No Docker engine and no helm binary run here (nor in CI), so the packaging files are checked
// statically: what parses, what is referenced, what is required. Rendering the chart with real values
// (`helm template` / `helm lint`) is not done; docs/production.md says so.
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const chartDir = 'deploy/helm/flightdeck';

type Json = Record<string, unknown>;

interface ComposeService {
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: unknown;
  healthcheck?: { test?: string[] };
  read_only?: boolean;
  volumes?: string[];
}

describe('packaging', () => {
  it('docker-compose.yml runs Flightdeck against Postgres with only known settings and health checks', () => {
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
    const flightdeck = compose.services.flightdeck!;
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'flightdeck']));
    for (const name of Object.keys(flightdeck.environment ?? {})) expect(CONFIG_VARIABLES).toContain(name);
    expect(flightdeck.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgres:5432\//);
    expect(flightdeck.environment?.FLIGHTDECK_SECRET_KEY).toBeDefined();
    expect(flightdeck.ports).toContain('3000:3000');
    expect(flightdeck.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(flightdeck.healthcheck?.test?.join(' ')).toContain('/health/ready');
    expect(compose.services.postgres!.healthcheck?.test?.join(' ')).toContain('pg_isready');
    expect(flightdeck.volumes?.some((volume) => volume.endsWith(':/data'))).toBe(true);
  });

  it('the Dockerfile is multi-stage, copies paths that exist and runs the built entrypoint as non-root', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    for (const source of copies.filter((s) => s !== '.'))
      expect(existsSync(path.join(repoRoot, source)), source).toBe(true);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('CMD ["node", "apps/api/dist/main.js"]');
    expect(dockerfile).toContain('/health/ready');
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
  });

  it('the README documents every configuration variable', () => {
    const readme = read('README.md');
    for (const name of CONFIG_VARIABLES) expect(readme, name).toContain(`\`${name}\``);
  });
});

// Go template actions replaced so that the YAML structure around them can be parsed: lines that are
// only actions (if/with/range/end/include … | nindent) disappear, inline actions become a placeholder.
function skeleton(template: string): Json {
  const lines = template
    .split('\n')
    .filter((line) => !/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line))
    .map((line) => line.replace(/\{\{-?.*?-?\}\}/g, 'TEMPLATED'));
  return parse(lines.join('\n')) as Json;
}

const templatesDir = path.join(repoRoot, chartDir, 'templates');
const templateFiles = readdirSync(templatesDir).filter((file) => file.endsWith('.yaml'));
const templates = Object.fromEntries(
  templateFiles.map((file) => [file, readFileSync(path.join(templatesDir, file), 'utf8')]),
);
const helpers = read(`${chartDir}/templates/_helpers.tpl`);
const values = parse(read(`${chartDir}/values.yaml`)) as Json;
const manifests = Object.fromEntries(templateFiles.map((file) => [file, skeleton(templates[file]!)]));
const byKind = (kind: string) => {
  const found = Object.values(manifests).find((manifest) => manifest.kind === kind);
  expect(found, kind).toBeDefined();
  return found as Json & { spec: Json; metadata: Json };
};

function at(object: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined),
      object,
    );
}

describe('the Helm chart (static checks)', () => {
  it('has a v2 Chart.yaml and values that satisfy values.schema.json, which refuses bad values', () => {
    const chart = parse(read(`${chartDir}/Chart.yaml`)) as Json;
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'flightdeck', type: 'application' });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(read(`${chartDir}/values.schema.json`)) as Json,
    );
    expect(validate(values), JSON.stringify(validate.errors)).toBe(true);
    const withTls = (tls: Json) => ({ ...values, ingress: { ...(values.ingress as Json), tls } });
    expect(validate(withTls({ enabled: true, secretName: '' }))).toBe(false);
    expect(validate({ ...values, config: { ...(values.config as Json), extraEnv: { PATH: '/tmp' } } })).toBe(
      false,
    );
    expect(validate({ ...values, replicaCount: 0 })).toBe(false);
    expect(validate({ ...values, unknownKey: true })).toBe(false);
  });

  it('every template parses as one Kubernetes object once its actions are set aside', () => {
    expect(templateFiles.sort()).toEqual(
      [
        'deployment.yaml',
        'hpa.yaml',
        'ingress.yaml',
        'migration-job.yaml',
        'pdb.yaml',
        'secret.yaml',
        'service.yaml',
        'serviceaccount.yaml',
      ].sort(),
    );
    for (const [file, manifest] of Object.entries(manifests)) {
      expect(manifest.apiVersion, file).toBeTypeOf('string');
      expect(manifest.kind, file).toBeTypeOf('string');
      expect(at(manifest, 'metadata.name'), file).toBeDefined();
    }
  });

  it('references only values that exist and helpers that are defined', () => {
    const sources = [...Object.values(templates), helpers, read(`${chartDir}/templates/NOTES.txt`)];
    const references = new Set(
      sources.flatMap((source) => [...source.matchAll(/\.Values\.([\w.]+)/g)].map((m) => m[1]!)),
    );
    for (const reference of references)
      expect(at(values, reference), `.Values.${reference}`).not.toBeUndefined();
    const defined = new Set([...helpers.matchAll(/\{\{-? define "([^"]+)"/g)].map((m) => m[1]!));
    const included = sources.flatMap((source) =>
      [...source.matchAll(/include "([^"]+)"/g)].map((m) => m[1]!),
    );
    for (const name of included) expect(defined, name).toContain(name);
  });

  it('sets only configuration variables Flightdeck reads, never migrates in the replicas, and takes credentials from a Secret', () => {
    const env = helpers.slice(helpers.indexOf('define "flightdeck.env"'));
    const names = [...env.matchAll(/^- name: ([A-Z_]+)$/gm)].map((m) => m[1]!);
    for (const name of names) expect(CONFIG_VARIABLES, name).toContain(name);
    expect(env).toMatch(/- name: FLIGHTDECK_MIGRATE_ON_START\n\s+value: "false"/);
    for (const name of ['DATABASE_URL', 'FLIGHTDECK_SECRET_KEY', 'FLIGHTDECK_OIDC_CLIENT_SECRET'])
      expect(env).toMatch(new RegExp(`- name: ${name}\\n\\s+valueFrom:\\n\\s+secretKeyRef:`));
    const secret = byKind('Secret');
    expect(Object.keys(secret.stringData as Json)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'FLIGHTDECK_SECRET_KEY']),
    );
    expect(templates['secret.yaml']).toContain('if not .Values.secrets.existingSecret');
  });

  it('runs non-root on a read-only root filesystem with live, ready and startup probes on the image port', () => {
    const deployment = byKind('Deployment');
    const container = at(deployment, 'spec.template.spec.containers.0') as Json;
    expect(at(container, 'ports.0.containerPort')).toBe(3000);
    expect(read('Dockerfile')).toMatch(/PORT=3000/);
    expect(at(container, 'livenessProbe.httpGet.path')).toBe('/health/live');
    expect(at(container, 'startupProbe.httpGet.path')).toBe('/health/live');
    expect(at(container, 'readinessProbe.httpGet.path')).toBe('/health/ready');
    expect(at(deployment, 'spec.strategy.rollingUpdate.maxUnavailable')).toBe(0);
    expect(helpers).toMatch(/runAsNonRoot: true/);
    expect(helpers).toMatch(/readOnlyRootFilesystem: true/);
    expect(helpers).toMatch(/allowPrivilegeEscalation: false/);
    const mounts = (container.volumeMounts as Json[]).map((mount) => mount.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(['/data', '/tmp']));
  });

  it('migrates in a pre-install/pre-upgrade Job with the built migration command', () => {
    const job = byKind('Job');
    expect(at(job, 'metadata.annotations')).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade' });
    const command = at(job, 'spec.template.spec.containers.0.command') as string[];
    expect(command).toEqual(['node', 'apps/api/dist/database/migrate-cli.js']);
    expect(existsSync(path.join(repoRoot, 'apps/api/src/database/migrate-cli.ts'))).toBe(true);
    // The Secret the job reads exists before it: a hook with a lower weight.
    const secret = byKind('Secret');
    const secretAnnotations = at(secret, 'metadata.annotations') as Record<string, string>;
    const jobAnnotations = at(job, 'metadata.annotations') as Record<string, string>;
    expect(Number(secretAnnotations['helm.sh/hook-weight'])).toBeLessThan(
      Number(jobAnnotations['helm.sh/hook-weight']),
    );
  });

  it('scales with an HPA, keeps a replica through disruptions and serves TLS at the ingress', () => {
    expect(at(byKind('HorizontalPodAutoscaler'), 'spec.scaleTargetRef.kind')).toBe('Deployment');
    expect(byKind('HorizontalPodAutoscaler').apiVersion).toBe('autoscaling/v2');
    expect(byKind('PodDisruptionBudget').apiVersion).toBe('policy/v1');
    const ingress = byKind('Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(at(ingress, 'spec.tls.0.secretName')).toBeDefined();
    expect(at(ingress, 'spec.rules.0.http.paths.0.backend.service.port.name')).toBe('http');
    expect(at(byKind('Service'), 'spec.ports.0.targetPort')).toBe('http');
    expect((values.config as Json).publicUrl).toMatch(/^https:\/\//);
  });
});
