import { describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.js';
import { openEventStream } from '../support/sse.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app.js';
import { fleetForFile, stackTraces, waitFor, type FlightdeckProcess } from './support/processes.js';
import { allTerminal, requestDeployment, sandboxStages, statusesOf } from './support/stages.js';

// A bounded soak: board readers, event-stream listeners and a steady trickle of deployments against one
// real process. 20 s by default (at 12 s the middle and last thirds fell between major collections and
// the heap comparison failed on a healthy process); longer with FLIGHTDECK_SOAK_SECONDS.
const SOAK_SECONDS = Number(process.env.FLIGHTDECK_SOAK_SECONDS ?? 20);
const READERS = 4;
const LISTENERS = 3;
const DEPLOY_EVERY_MS = 400;
const SAMPLE_EVERY_MS = 300;

const context = fleetForFile();

interface Memory {
  readonly heapUsed: number;
  readonly rss: number;
}

async function memory(app: FlightdeckProcess): Promise<Memory> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
  return {
    heapUsed: metric('flightdeck_nodejs_heap_size_used_bytes'),
    rss: metric('flightdeck_process_resident_memory_bytes'),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('a soak of mixed load', () => {
  it(
    `serves readers, listeners and deployments for ${SOAK_SECONDS} s without an error and with flat memory`,
    async () => {
      const app = await context.fleet.start({ FLIGHTDECK_RUNNER_LEASE_SECONDS: '30' });
      const client = new HttpClient(app.url);
      await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      const stages = await sandboxStages(
        context.db.url,
        Math.ceil((SOAK_SECONDS * 1000) / DEPLOY_EVERY_MS) + 5,
        1,
      );
      const listeners = await Promise.all(Array.from({ length: LISTENERS }, () => openEventStream(client)));

      const errors: string[] = [];
      const ids: string[] = [];
      const samples: Array<{ at: number } & Memory> = [];
      let reads = 0;
      const started = Date.now();
      const until = started + SOAK_SECONDS * 1000;
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      const reader = async () => {
        while (Date.now() < until) {
          const board = await client.get('/api/v1/board');
          reads++;
          if (board.status !== 200) errors.push(`board ${board.status}`);
        }
      };
      const deployer = async () => {
        for (const stage of stages) {
          if (Date.now() >= until) return;
          try {
            ids.push(await requestDeployment(client, stage));
          } catch (error) {
            errors.push(`deploy ${(error as Error).message}`);
          }
          await pause(DEPLOY_EVERY_MS);
        }
      };
      const sampler = async () => {
        while (Date.now() < until) {
          samples.push({ at: Date.now() - started, ...(await memory(app)) });
          await pause(SAMPLE_EVERY_MS);
        }
      };
      await Promise.all([...Array.from({ length: READERS }, reader), deployer(), sampler()]);
      await waitFor('every deployment terminal', () => allTerminal(context.db.url, ids), 60_000, 250);

      // After the first third (warm-up: JIT, pools, caches), the middle and the last third compared.
      const third = (from: number) =>
        samples.filter(
          (s) => s.at >= (from * SOAK_SECONDS * 1000) / 3 && s.at < ((from + 1) * SOAK_SECONDS * 1000) / 3,
        );
      const warm = { heap: median(third(1).map((s) => s.heapUsed)), rss: median(third(1).map((s) => s.rss)) };
      const end = { heap: median(third(2).map((s) => s.heapUsed)), rss: median(third(2).map((s) => s.rss)) };
      const received = listeners.map((listener) => listener.messages.length);
      console.log(
        `soak ${SOAK_SECONDS} s: ${reads} board reads, ${ids.length} deployments, events per listener ${received.join('/')}; ` +
          `heap ${mb(warm.heap)} → ${mb(end.heap)}, rss ${mb(warm.rss)} → ${mb(end.rss)}`,
      );
      for (const listener of listeners) listener.close();

      expect(errors).toEqual([]);
      const statuses = await statusesOf(context.db.url, ids);
      expect(ids.map((id) => statuses.get(id))).toEqual(ids.map(() => 'succeeded'));
      // Every listener heard about every deployment ending.
      for (const listener of listeners)
        for (const id of ids)
          expect(
            listener.messages.some((m) => m.data.includes(id) && m.data.includes('"succeeded"')),
            id,
          ).toBe(true);
      // Flat: generous bounds, as garbage collection moves both a lot within seconds.
      expect(end.heap).toBeLessThan(warm.heap * 1.5 + 32 * 1024 * 1024);
      expect(end.rss).toBeLessThan(warm.rss * 1.5 + 64 * 1024 * 1024);
      expect(app.output.filter((line) => line.includes('"level":50'))).toEqual([]);
      expect(stackTraces(app.output)).toEqual([]);
    },
    60_000 + SOAK_SECONDS * 3_000,
  );
});
