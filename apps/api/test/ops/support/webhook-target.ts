import { startFakeWebhookTarget, type FakeWebhookTarget } from '@flightdeck/test-kit';
import { afterAll, beforeAll } from 'vitest';
import { WEBHOOK_SECRET } from './stages.js';

// A fake webhook target for the test file (signed with the operations tests' secret), gone afterwards.
export function webhookTargetForFile(): { readonly target: FakeWebhookTarget } {
  const context = {} as { target: FakeWebhookTarget };
  beforeAll(async () => {
    context.target = await startFakeWebhookTarget({ secret: WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await context.target?.close();
  });
  return context;
}
