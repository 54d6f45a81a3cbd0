import { Inject, Injectable } from '@nestjs/common';
import type { AuditVerification } from '@flightdeck/contracts';
import { computeAuditHash, GENESIS_HASH } from './audit-hash.js';
import { hashedFieldsOf } from './audit.mappers.js';
import { AuditRepository, type AuditEventRow } from './audit.repository.js';

const VERIFY_BATCH = 1000;

// Why one event breaks the chain, or null when it holds. The hash is checked first: an edited event
// (even one whose prevHash was edited) is reported as edited, not as unlinked.
export function findBreak(
  row: AuditEventRow,
  previous: Pick<AuditEventRow, 'id' | 'hash'> | null,
): string | null {
  if (computeAuditHash(hashedFieldsOf(row)) !== row.hash) return 'hash does not match its contents';
  if (previous === null) {
    return row.prevHash === GENESIS_HASH ? null : 'does not link to the start of the chain';
  }
  return row.prevHash === previous.hash ? null : `does not link to event #${previous.id}`;
}

@Injectable()
export class AuditVerifier {
  constructor(@Inject(AuditRepository) private readonly audit: AuditRepository) {}

  // Walks the whole ledger in id order and names the first event whose contents or link do not hold.
  async verify(): Promise<AuditVerification> {
    let previous: AuditEventRow | null = null;
    let checked = 0;
    for await (const batch of this.audit.batchesOldestFirst({}, VERIFY_BATCH)) {
      for (const row of batch) {
        checked += 1;
        const reason = findBreak(row, previous);
        if (reason) {
          return {
            ok: false,
            checked,
            firstBroken: { id: row.id.toString(), reason },
            verifiedAt: new Date().toISOString(),
          };
        }
        previous = row;
      }
    }
    return { ok: true, checked, firstBroken: null, verifiedAt: new Date().toISOString() };
  }
}
