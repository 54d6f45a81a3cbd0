import { z } from 'zod';
import { isoDateTime, uuidSchema } from './common.js';

export const changelogQuerySchema = z.object({ release: uuidSchema });

export const changelogCommitSchema = z
  .object({
    sha: z.string(),
    // The first line of the message.
    title: z.string(),
    // The GitHub account when the e-mail belongs to one, else the git author name.
    author: z.string(),
    authorLogin: z.string().nullable(),
    date: isoDateTime.nullable(),
    url: z.string(),
  })
  .meta({ id: 'ChangelogCommit' });
export type ChangelogCommit = z.infer<typeof changelogCommitSchema>;

export const changelogPullRequestSchema = z
  .object({
    number: z.number().int(),
    title: z.string(),
    author: z.string().nullable(),
    url: z.string(),
  })
  .meta({ id: 'ChangelogPullRequest' });
export type ChangelogPullRequest = z.infer<typeof changelogPullRequestSchema>;

// The commits and pull requests between what runs on a stage and a candidate, from GitHub's compare.
export const changelogSchema = z
  .discriminatedUnion('available', [
    z.object({
      available: z.literal(true),
      repository: z.string(),
      baseSha: z.string(),
      headSha: z.string(),
      // forward: the commits the candidate adds; backward (a rollback): the commits it takes away.
      direction: z.enum(['forward', 'backward', 'none']),
      compareUrl: z.string(),
      commits: z.array(changelogCommitSchema),
      // Commits in the range that are not listed ("and N more").
      moreCommits: z.number().int().min(0),
      pullRequests: z.array(changelogPullRequestSchema),
      // False when only the first commits were looked up for their pull requests.
      pullRequestsComplete: z.boolean(),
    }),
    // No repository, GitHub not configured or unreachable, nothing on the stage yet: said, never an error.
    z.object({ available: z.literal(false), reason: z.string() }),
  ])
  .meta({ id: 'Changelog' });
export type Changelog = z.infer<typeof changelogSchema>;
