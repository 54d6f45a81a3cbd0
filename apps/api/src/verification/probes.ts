import { z } from 'zod';

// One look at an HTTP endpoint: the expected status, and optionally a text in the body.
export async function probeHttp(
  check: { url: string; expectStatus: number; bodyContains?: string | undefined; timeoutSeconds: number },
  signal: AbortSignal,
): Promise<{ ok: boolean; message: string }> {
  try {
    const response = await fetch(check.url, {
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(check.timeoutSeconds * 1000)]),
    });
    const body = await response.text();
    if (response.status !== check.expectStatus) {
      return { ok: false, message: `answered ${response.status}, expected ${check.expectStatus}` };
    }
    if (check.bodyContains !== undefined && !body.includes(check.bodyContains)) {
      return {
        ok: false,
        message: `answered ${response.status} without "${check.bodyContains}" in the body`,
      };
    }
    return { ok: true, message: `answered ${response.status}` };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      ok: false,
      message: timedOut ? `no answer within ${check.timeoutSeconds} s` : 'could not be reached',
    };
  }
}

const sampleSchema = z.tuple([z.number(), z.string()]);
const queryAnswerSchema = z.object({
  status: z.literal('success'),
  data: z.discriminatedUnion('resultType', [
    z.object({ resultType: z.literal('vector'), result: z.array(z.object({ value: sampleSchema })) }),
    z.object({ resultType: z.literal('scalar'), result: sampleSchema }),
  ]),
});

// An instant query against a Prometheus-compatible HTTP API (GET /api/v1/query). The first sample of
// a vector counts; no sample at all is `null` (no data yet), not a failure.
export async function queryPrometheus(
  baseUrl: string,
  query: string,
  signal: AbortSignal,
): Promise<{ ok: true; value: number | null } | { ok: false; message: string }> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  try {
    const response = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return { ok: false, message: `Prometheus answered ${response.status}` };
    const parsed = queryAnswerSchema.safeParse(await response.json());
    if (!parsed.success)
      return { ok: false, message: 'Prometheus answered something that is not a query result' };
    const sample =
      parsed.data.data.resultType === 'scalar' ? parsed.data.data.result : parsed.data.data.result[0]?.value;
    if (!sample) return { ok: true, value: null };
    const value = Number(sample[1]);
    return Number.isFinite(value) ? { ok: true, value } : { ok: true, value: null };
  } catch {
    return { ok: false, message: 'Prometheus could not be reached' };
  }
}
