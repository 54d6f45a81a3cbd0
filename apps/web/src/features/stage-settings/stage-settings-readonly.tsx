import type { StageDetail } from '@flightdeck/contracts';
import { Eye } from 'lucide-react';
import { InlineNote } from '../../components/ui/field';
import { DRIVER_LABEL } from '../service/stage-meta';
import { SentInputs, WorkflowLink, workflowUrl } from './github-actions-fields';
import { githubActionsFromStage } from './github-actions-model';
import { RequiredChecksList } from './required-checks-editor';
import { RequiredChecksStatus } from './required-checks-status';
import { formatSeconds } from './stage-settings-model';

interface StageSettingsReadOnlyProps {
  stage: StageDetail;
  environmentName: string;
  githubWebUrl: string | null;
}

// The stage's settings as text, for those who may see but not change them.
export function StageSettingsReadOnly({ stage, environmentName, githubWebUrl }: StageSettingsReadOnlyProps) {
  return (
    <div className="form-stack">
      <InlineNote icon={<Eye size={16} aria-hidden />}>
        You can view these settings; changing them needs the right to edit this service’s stages.
      </InlineNote>
      <section className="fieldset" aria-label="Driver">
        <h3 className="field-label">Driver</h3>
        <dl className="settings-values">
          <Row term="Deploys to">{environmentName}</Row>
          <Row term="Driver">{DRIVER_LABEL[stage.driverKind]}</Row>
        </dl>
        {stage.driverKind === 'github_actions' ? (
          <GitHubActionsValues stage={stage} githubWebUrl={githubWebUrl} />
        ) : (
          <ConfigValues config={stage.driverConfig} />
        )}
      </section>
      <section className="fieldset" aria-label="Required CI checks">
        <h3 className="field-label">Required CI checks</h3>
        <RequiredChecksList names={stage.requiredChecks} />
        <RequiredChecksStatus stageId={stage.id} savedChecks={stage.requiredChecks} />
      </section>
      <section className="fieldset" aria-label="Timing">
        <h3 className="field-label">Timing</h3>
        <dl className="settings-values">
          <Row term="Soak time">{formatSeconds(stage.soakSeconds)}</Row>
          <Row term="Deadline">{formatSeconds(stage.deadlineSeconds)}</Row>
        </dl>
      </section>
    </div>
  );
}

function GitHubActionsValues({ stage, githubWebUrl }: { stage: StageDetail; githubWebUrl: string | null }) {
  const config = githubActionsFromStage(stage);
  return (
    <>
      <dl className="settings-values">
        <Row term="Repository">
          <code>
            {config.owner}/{config.repo}
          </code>
        </Row>
        <Row term="Workflow">
          <code>{config.workflow}</code>
        </Row>
        <Row term="Ref">
          <code>{config.ref}</code>
        </Row>
        <Row term="Poll interval">{config.pollIntervalSeconds} s</Row>
        {config.inputs.map((row) => (
          <Row key={row.id} term={`Input ${row.name}`}>
            <code>{row.value}</code>
          </Row>
        ))}
      </dl>
      <WorkflowLink href={workflowUrl(githubWebUrl, config)} />
      <SentInputs />
    </>
  );
}

// Other drivers' plain settings (secrets are never in the stage's answer; `secretSet` says one is stored).
function ConfigValues({ config }: { config: Record<string, unknown> }) {
  const entries = Object.entries(config).filter(
    ([, value]) => ['string', 'number', 'boolean'].includes(typeof value) && value !== '',
  );
  return entries.length === 0 ? null : (
    <dl className="settings-values">
      {entries.map(([key, value]) => (
        <Row key={key} term={key}>
          <code>{String(value)}</code>
        </Row>
      ))}
    </dl>
  );
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="settings-value">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
