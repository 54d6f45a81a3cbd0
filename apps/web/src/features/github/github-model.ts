import type { GitHubReleaseRules, ServiceGitHub } from '@flightdeck/contracts';
import { CircleCheck, CircleX, Clock, MinusCircle, type LucideIcon } from 'lucide-react';
import type { Tone } from '../../components/ui/tone';

// The rules in words, in the order the settings list them.
export function describeRules(rules: GitHubReleaseRules): string[] {
  return [
    rules.push ? 'a push to the default branch once CI is green' : null,
    rules.workflowRun
      ? `a successful run of ${rules.workflow ? `the “${rules.workflow}” workflow` : 'any workflow'} on the default branch`
      : null,
    rules.releasePublished ? 'a published GitHub release' : null,
    rules.tag ? 'a pushed tag' : null,
  ].filter((rule): rule is string => rule !== null);
}

type DeliveryState = ServiceGitHub['recentDeliveries'][number]['state'];

export const DELIVERY_STATE: Record<DeliveryState, { tone: Tone; Icon: LucideIcon; label: string }> = {
  done: { tone: 'success', Icon: CircleCheck, label: 'Done' },
  pending: { tone: 'info', Icon: Clock, label: 'Waiting' },
  ignored: { tone: 'neutral', Icon: MinusCircle, label: 'Ignored' },
  failed: { tone: 'danger', Icon: CircleX, label: 'Failed' },
};
