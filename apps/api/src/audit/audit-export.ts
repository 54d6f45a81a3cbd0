import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { type AuditFilterQuery, toAuditFilter } from './audit-filter.js';
import { mapAuditEvent } from './audit.mappers.js';
import { AuditRepository, type AuditEventRow } from './audit.repository.js';

const EXPORT_BATCH = 500;

// What the export writes to: an HTTP response, or any Writable in tests.
export interface LineSink {
  write(chunk: string): boolean;
  end(): unknown;
  readonly destroyed: boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

export function exportFileName(now: Date): string {
  return `flightdeck-audit-${now.toISOString().slice(0, 10)}.jsonl`;
}

function drainedOrClosed(sink: LineSink): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.once('drain', done);
    sink.once('close', done);
  });
}

// One JSON object per line. Waits whenever the client reads slower than the database answers, so memory
// holds about one batch however long the ledger is. Returns false when the client went away first.
export async function writeJsonLines(
  batches: AsyncIterable<AuditEventRow[]>,
  sink: LineSink,
): Promise<boolean> {
  let closed = false;
  const onClose = () => {
    closed = true;
  };
  sink.once('close', onClose);
  try {
    // Leaving the loop early returns the generator, so no further batch is read.
    for await (const batch of batches) {
      if (closed || sink.destroyed) return false;
      const chunk = batch.map((row) => `${JSON.stringify(mapAuditEvent(row))}\n`).join('');
      if (!sink.write(chunk)) await drainedOrClosed(sink);
      // Checked here too, so a client that left while we waited costs no further query.
      if (closed || sink.destroyed) return false;
    }
    if (closed || sink.destroyed) return false;
    sink.end();
    return true;
  } finally {
    sink.off('close', onClose);
  }
}

@Injectable()
export class AuditExporter {
  constructor(@Inject(AuditRepository) private readonly audit: AuditRepository) {}

  // Streams the filtered ledger, oldest first, as a JSON Lines download.
  async export(query: AuditFilterQuery, res: Response): Promise<void> {
    const filter = toAuditFilter(query);
    const headers = {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${exportFileName(new Date())}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    };
    // Nothing is sent before the first write, so a failure on the first batch is still a clean JSON error.
    res.status(200);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    try {
      await writeJsonLines(this.audit.batchesOldestFirst(filter, EXPORT_BATCH), res);
    } catch (error) {
      if (res.headersSent) {
        // The 200 is already out: cutting the connection is the only way to tell the client the file is
        // incomplete, rather than ending it as if it were whole.
        res.destroy();
      } else {
        for (const name of Object.keys(headers)) res.removeHeader(name);
      }
      throw error;
    }
  }
}
