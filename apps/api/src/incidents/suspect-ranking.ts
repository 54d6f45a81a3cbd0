import type { TierKind } from '@flightdeck/contracts';

export interface SuspectCandidate {
  readonly id: string;
  readonly tier: TierKind;
  readonly status: string;
  readonly finishedAt: Date;
  // Verification checks that failed or were failing, and health turning bad, in words.
  readonly warnings: readonly string[];
  // Releases it brought to the stage (1 when it moved one release forward).
  readonly changeSize: number;
  readonly relations: readonly string[];
}

export interface RankedSuspect {
  readonly id: string;
  readonly rank: number;
  readonly score: number;
  readonly reasons: string[];
}

// "12 minutes", "5 hours", "3 days": how far from detection, in the unit people think in.
function span(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const [value, unit] =
    minutes < 120
      ? [minutes, 'minute']
      : minutes < 48 * 60
        ? [Math.round(minutes / 60), 'hour']
        : [Math.round(minutes / 1440), 'day'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

// Likeliest cause first: what people marked as the cause, then production over other tiers, finishing
// close before detection, failing or warning during verification, and bringing many changes at once.
// Each point of the score comes with the words that explain it.
export function rankSuspects(
  candidates: readonly SuspectCandidate[],
  detectedAt: Date,
  windowMinutes: number,
): RankedSuspect[] {
  const windowMs = windowMinutes * 60_000;
  const scored = candidates.map((candidate) => {
    const reasons: string[] = [];
    let score = 0;
    if (candidate.relations.includes('cause')) {
      score += 100;
      reasons.push('marked as the cause');
    }
    if (candidate.tier === 'production') {
      score += 30;
      reasons.push('in production');
    } else if (candidate.tier === 'staging') {
      score += 10;
      reasons.push('in staging');
    } else {
      reasons.push(`in ${candidate.tier}`);
    }
    const gap = detectedAt.getTime() - candidate.finishedAt.getTime();
    if (gap >= 0) {
      score += Math.round(40 * Math.max(0, 1 - gap / windowMs));
      reasons.push(`finished ${span(gap)} before detection`);
    } else {
      score += 5;
      reasons.push(`finished ${span(-gap)} after detection`);
    }
    if (candidate.status === 'failed' || candidate.status === 'timed_out') {
      score += 25;
      reasons.push(candidate.status === 'failed' ? 'failed' : 'timed out');
    } else {
      const warning = candidate.warnings[0];
      if (warning) {
        score += 15;
        reasons.push(`warned during verification: ${warning}`);
      }
    }
    if (candidate.changeSize > 1) {
      score += Math.min(15, 3 * (candidate.changeSize - 1));
      reasons.push(`brought ${candidate.changeSize} releases at once`);
    }
    if (candidate.relations.includes('suspect') && !candidate.relations.includes('cause')) {
      score += 10;
      reasons.push('suspected by a person');
    }
    return { candidate, score, reasons };
  });
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      b.candidate.finishedAt.getTime() - a.candidate.finishedAt.getTime() ||
      a.candidate.id.localeCompare(b.candidate.id),
  );
  return scored.map(({ candidate, score, reasons }, index) => ({
    id: candidate.id,
    rank: index + 1,
    score,
    reasons,
  }));
}
