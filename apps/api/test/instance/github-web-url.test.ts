import { instanceInfoSchema } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubWebUrl } from '../../src/instance/github-web-url.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('GitHub’s web UI in the instance information', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { FLIGHTDECK_GITHUB_API_URL: 'https://ghe.example.com/api/v3/' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is GitHub Enterprise Server’s host for its /api/v3 API', async () => {
    const { status, body } = await app.get('/api/v1/instance');
    expect(status).toBe(200);
    expect(instanceInfoSchema.parse(body).githubWebUrl).toBe('https://ghe.example.com');
  });

  it('is github.com for api.github.com, and unknown for any other API', () => {
    expect(githubWebUrl('https://api.github.com')).toBe('https://github.com');
    expect(githubWebUrl('https://git.example.com/github/api/v3')).toBe('https://git.example.com/github');
    expect(githubWebUrl('http://127.0.0.1:4010')).toBeNull();
    expect(githubWebUrl('not a url')).toBeNull();
  });
});
