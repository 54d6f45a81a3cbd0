import { describe, expect, it } from 'vitest';
import { interpret, parseReleaseRules, type ServiceRules } from './github-release-rules.js';

const sha = 'a'.repeat(40);
const service = (rules: Record<string, unknown>): ServiceRules => ({
  id: 's',
  slug: 'shop',
  defaultBranch: 'main',
  rules: parseReleaseRules(rules),
});

describe('GitHub release rules', () => {
  it('reads stored rules leniently: unknown or broken JSON means no rule', () => {
    expect(parseReleaseRules(null)).toEqual({
      push: false,
      workflowRun: false,
      workflow: null,
      releasePublished: false,
      tag: false,
    });
    expect(parseReleaseRules({ push: 'yes' }).push).toBe(false);
  });

  it('releases pushes to the default branch only, waiting for CI', () => {
    const rules = service({ push: true });
    const push = (ref: string, extra: Record<string, unknown> = {}) =>
      interpret('push', { ref, after: sha, head_commit: { message: 'm', timestamp: 't' }, ...extra }, rules);
    expect(push('refs/heads/main')).toMatchObject({
      intent: { version: 'aaaaaaa', requireCi: true, notes: 'm' },
    });
    expect(push('refs/heads/dev')).toHaveProperty('ignored');
    expect(push('refs/tags/v1')).toHaveProperty('ignored');
    expect(push('refs/heads/main', { deleted: true, after: '0'.repeat(40) })).toEqual({
      ignored: 'the branch was deleted',
    });
    expect(interpret('push', { ref: 'refs/heads/main', after: sha }, service({}))).toHaveProperty('ignored');
  });

  it('matches a named workflow by name or file, with or without a ref suffix', () => {
    const run = (name: string, path: string, conclusion = 'success') =>
      interpret(
        'workflow_run',
        {
          action: 'completed',
          workflow_run: { name, path, conclusion, head_branch: 'main', head_sha: sha },
        },
        service({ workflowRun: true, workflow: '.github/workflows/deploy.yml' }),
      );
    expect(run('Deploy', '.github/workflows/deploy.yml@refs/heads/main')).toMatchObject({
      intent: { rule: 'workflowRun', requireCi: false },
    });
    expect(run('CI', '.github/workflows/ci.yml')).toHaveProperty('ignored');
    expect(run('Deploy', '.github/workflows/deploy.yml', 'failure')).toHaveProperty('ignored');
  });

  it('takes published, non-draft releases and tags, not branches', () => {
    const rules = service({ releasePublished: true, tag: true });
    expect(
      interpret('release', { action: 'published', release: { tag_name: 'v1', body: 'n' } }, rules),
    ).toEqual({
      intent: { kind: 'tag', rule: 'releasePublished', version: 'v1', tag: 'v1', notes: 'n' },
    });
    expect(interpret('release', { action: 'created', release: { tag_name: 'v1' } }, rules)).toHaveProperty(
      'ignored',
    );
    expect(
      interpret('release', { action: 'published', release: { tag_name: 'v1', draft: true } }, rules),
    ).toHaveProperty('ignored');
    expect(interpret('create', { ref_type: 'tag', ref: 'v2' }, rules)).toMatchObject({
      intent: { version: 'v2' },
    });
    expect(interpret('create', { ref_type: 'branch', ref: 'x' }, rules)).toHaveProperty('ignored');
    expect(interpret('issues', {}, rules)).toHaveProperty('ignored');
  });
});
