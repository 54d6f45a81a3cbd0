import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { gitHubStateFor, statusDescription } from './deployment-mirror-outbox.js';
import { outcomeOf } from './deployment-mirror.processor.js';
import { gitHubDeploymentsPage } from './github-deployments.js';

const refusal = (status: number, message: string, headers: Record<string, string> = {}) =>
  new RequestError(message, status, {
    request: { method: 'POST', url: 'https://api.github.com/repos/a/b/deployments', headers: {} },
    response: { status, url: '', headers, data: { message } },
  });

describe('GitHub deployment mirror', () => {
  it('maps each transition to GitHub’s status, and cancels by whether the target was touched', () => {
    expect(gitHubStateFor('pending', 'queued')).toBe('queued');
    expect(gitHubStateFor('queued', 'running')).toBe('in_progress');
    expect(gitHubStateFor('running', 'verifying')).toBe('in_progress');
    expect(gitHubStateFor('verifying', 'succeeded')).toBe('success');
    expect(gitHubStateFor('running', 'failed')).toBe('failure');
    expect(gitHubStateFor('running', 'timed_out')).toBe('error');
    expect(gitHubStateFor('queued', 'cancelled')).toBe('inactive');
    expect(gitHubStateFor('verifying', 'cancelled')).toBe('error');
    for (const to of ['cancelled', 'superseded', 'rejected', 'expired'] as const)
      expect(gitHubStateFor('pending', to)).toBeNull();
  });

  it('keeps descriptions within GitHub’s 140 characters', () => {
    expect(statusDescription('a'.repeat(200))).toHaveLength(140);
    expect(statusDescription(' Rollout\n complete ')).toBe('Rollout complete');
  });

  it('gives up on refusals, waits out rate limits and backs off from the rest', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    expect(outcomeOf(refusal(422, 'No ref found for: abc'), 1, now)).toEqual({
      state: 'failed',
      error: 'GitHub answered 422: No ref found for: abc',
    });
    const limited = outcomeOf(refusal(403, 'secondary rate limit', { 'retry-after': '90' }), 1, now);
    expect(limited.state).toBe('pending');
    expect(limited.state === 'pending' && limited.retryAt.getTime() - now.getTime()).toBeGreaterThanOrEqual(
      90_000,
    );
    expect(outcomeOf(refusal(502, 'Bad gateway'), 1, now).state).toBe('pending');
    expect(outcomeOf(refusal(502, 'Bad gateway'), 12, now).state).toBe('failed');
  });

  it('links to the environment’s deployments on github.com and on GitHub Enterprise Server', () => {
    const ref = { owner: 'acme', repo: 'shop' };
    expect(gitHubDeploymentsPage('https://api.github.com', ref, 'prod')).toBe(
      'https://github.com/acme/shop/deployments/prod',
    );
    expect(gitHubDeploymentsPage('https://ghe.example.com/api/v3', ref, 'prod')).toBe(
      'https://ghe.example.com/acme/shop/deployments/prod',
    );
  });
});
