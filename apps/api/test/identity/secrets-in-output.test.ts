import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, type HttpResponse } from '../support/http-client.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp, USER_PASSWORD } from '../support/test-app.js';

const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

let app: TestApp;
const responses: Array<HttpResponse<unknown> & { label: string }> = [];

beforeAll(async () => {
  app = await startTestApp({ env: { FLIGHTDECK_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'trace' } });
});

afterAll(async () => {
  await app?.close();
});

async function keep<T>(label: string, request: Promise<HttpResponse<T>>): Promise<HttpResponse<T>> {
  const response = await request;
  responses.push({ ...response, label });
  return response;
}

describe('secrets never reach logs or responses', () => {
  it('keeps passwords, session cookies, token secrets and keys out of a full run', async () => {
    const user = await app.userWith('deployer', { email: 'leaky@flightdeck.test' });
    const session = user.cookies.get('flightdeck_session')!;
    await keep(
      'wrong password',
      new HttpClient(app.url).post('/api/v1/auth/login', {
        email: 'leaky@flightdeck.test',
        password: `${USER_PASSWORD}!`,
      }),
    );
    const created = await user.post<{ token: string }>('/api/v1/me/tokens', {
      name: 'ci',
      scopes: ['deploy'],
    });
    const token = created.body.token;
    const ci = new HttpClient(app.url, { bearer: token });
    await keep('token use', ci.get('/api/v1/board'));
    await keep('token denied', ci.get('/api/v1/users'));
    await keep('me', user.get('/api/v1/me'));
    await keep('tokens', user.get('/api/v1/me/tokens'));
    await keep('auth state', user.get('/api/v1/auth/session'));
    await keep(
      'bad body',
      user.post('/api/v1/me/password', { currentPassword: USER_PASSWORD, newPassword: 'short' }),
    );
    await keep(
      'password change',
      user.post('/api/v1/me/password', {
        currentPassword: USER_PASSWORD,
        newPassword: `${USER_PASSWORD} v2`,
      }),
    );
    await keep('revoked token', new HttpClient(app.url, { bearer: `${token}x` }).get('/api/v1/board'));
    await keep('audit', app.admin.get('/api/v1/audit/events?limit=200'));
    await keep('users', app.admin.get('/api/v1/users'));

    const secrets = {
      'admin password': ADMIN_PASSWORD,
      'user password': USER_PASSWORD,
      'session cookie': session,
      'API token': token,
      'secret key': SECRET_KEY,
    };
    const logs = app.logs.join('\n');
    for (const [name, secret] of Object.entries(secrets)) {
      expect(logs.includes(secret), `${name} in logs`).toBe(false);
      for (const response of responses) {
        const text = JSON.stringify(response.body) + JSON.stringify([...response.headers]);
        expect(text.includes(secret), `${name} in response "${response.label}"`).toBe(false);
      }
    }
    // The run did log requests, at the most verbose level: the check above looked at something.
    expect(logs).toContain('"url":"/api/v1/me/tokens"');
  });
});
