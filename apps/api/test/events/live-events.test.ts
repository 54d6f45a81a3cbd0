import { liveEventSchema } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from '../support/sse.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let first: TestApp;
let second: TestApp;
let stageId: string;

beforeAll(async () => {
  first = await startTestApp();
  // A second replica on the same database, as behind a load balancer.
  second = await startTestApp({ db: first.db, env: { FLIGHTDECK_DEMO: 'true' } });
  const stages = (await first.get<{ items: { id: string }[] }>('/api/v1/stages?service=checkout-api')).body
    .items;
  stageId = stages[0]!.id;
});

afterAll(async () => {
  await second?.close();
  await first?.close();
});

describe('live updates over server-sent events', () => {
  it('needs a signed-in reader', async () => {
    const response = await fetch(`${first.url}/api/v1/events`);
    expect(response.status).toBe(401);
  });

  it('streams changes made on any replica to clients of every replica', async () => {
    const onFirst = await openEventStream(first.admin);
    const onSecond = await openEventStream(second.admin);
    try {
      expect(onFirst.response.headers.get('content-type')).toContain('text/event-stream');
      // A change through the first replica...
      expect((await first.admin.put(`/api/v1/stages/${stageId}/lock`, { reason: 'live test' })).status).toBe(
        200,
      );
      // ...reaches browsers connected to both.
      for (const stream of [onFirst, onSecond]) {
        const message = await stream.next((m) => m.event === 'stage.updated');
        expect(liveEventSchema.parse(JSON.parse(message.data))).toMatchObject({
          type: 'stage.updated',
          stageId,
          serviceSlug: 'checkout-api',
        });
      }
      // A release created through the second replica reaches the first.
      await second.admin.post('/api/v1/releases', {
        service: 'checkout-api',
        version: 'v42.0.0',
        commitSha: 'abcdef1',
      });
      const release = await onFirst.next((m) => m.event === 'release.created');
      expect(JSON.parse(release.data)).toMatchObject({ serviceSlug: 'checkout-api', version: 'v42.0.0' });
    } finally {
      onFirst.close();
      onSecond.close();
      await first.admin.delete(`/api/v1/stages/${stageId}/lock`);
    }
  });

  it('sends nothing for a change that did not happen', async () => {
    const stream = await openEventStream(first.admin);
    try {
      const viewer = await first.userWith('viewer');
      expect((await viewer.put(`/api/v1/stages/${stageId}/lock`, { reason: 'not allowed' })).status).toBe(
        403,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(stream.messages.filter((m) => m.event === 'stage.updated')).toEqual([]);
    } finally {
      stream.close();
    }
  });
});
