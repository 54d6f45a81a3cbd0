import pg from 'pg';

// A direct query against a test database, for asserting what the app wrote (or tampering on purpose).
export async function sql(
  url: string,
  query: string,
  values: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(query, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}
