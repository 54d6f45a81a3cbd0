import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

// An API token for the bench admin the server created at start, written the way TokensService stores
// one (only its SHA-256), so the load generator authenticates like any CLI.
export async function createBenchToken(databaseUrl: string, email: string): Promise<string> {
  const secret = `fdt_${randomBytes(32).toString('base64url')}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `INSERT INTO api_tokens (id, user_id, name, prefix, token_hash, scopes)
       SELECT gen_random_uuid(), id, 'bench', $2, $3, '{read,deploy,approve,admin}' FROM users WHERE email = $1`,
      [email, secret.slice(0, 10), createHash('sha256').update(secret).digest('hex')],
    );
    if (rowCount !== 1) throw new Error(`no user ${email} to give a bench token to`);
    return secret;
  } finally {
    await client.end();
  }
}
