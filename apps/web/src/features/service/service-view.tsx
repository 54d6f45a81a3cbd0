import type { Service } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { ExternalLink, GitBranch, Workflow } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Badge } from '../../components/ui/badge';
import { EmptyState } from '../../components/ui/empty-state';
import { PageHeader } from '../../components/ui/page-header';
import { TableState } from '../../components/ui/table-state';
import { environmentsQueryOptions } from '../admin/admin-queries';
import { StageHistory } from '../deployments/stage-history';
import { StageSettingsDialog, type StageSettingsTarget } from '../stage-settings/stage-settings-dialog';
import { useCanEditStages } from '../stage-settings/use-can-edit-stage';
import {
  VerificationSettingsDialog,
  type VerificationTarget,
} from '../verification/verification-settings-dialog';
import { GitHubReleasesPanel } from '../github/github-releases-panel';
import { isNotFound, NotFoundPanel } from './not-found-panel';
import { PipelineGraph } from './pipeline-graph';
import { buildPipeline, environmentLabel, type PipelineNode } from './pipeline-model';
import { DeclareIncidentButton } from '../incidents/declare-incident-button';
import { ReleasesTable } from './releases-table';
import { serviceBoardQueryOptions, serviceQueryOptions, serviceStagesQueryOptions } from './service-queries';
import './service.css';

export function ServiceView({ slug }: { slug: string }) {
  const serviceQuery = useQuery(serviceQueryOptions(slug));
  const service = serviceQuery.data;

  if (isNotFound(serviceQuery.error)) {
    return (
      <div className="page page-wide">
        <title>Service not found · Flightdeck</title>
        <NotFoundPanel title="Service not found" summary={`No service named ${slug}`}>
          <p>
            No service has the slug <code>{slug}</code>. It may have been renamed or removed.
          </p>
        </NotFoundPanel>
      </div>
    );
  }

  return (
    <div className="page page-wide">
      <title>{`${service?.name ?? slug} · Flightdeck`}</title>
      <TableState
        query={serviceQuery}
        errorTitle="The service could not be loaded"
        isEmpty={false}
        empty={null}
        loadingLabel="Loading the service…"
      >
        {service ? <ServiceContent service={service} /> : null}
      </TableState>
    </div>
  );
}

function ServiceContent({ service }: { service: Service }) {
  const stagesQuery = useQuery(serviceStagesQueryOptions(service.slug));
  const environmentsQuery = useQuery(environmentsQueryOptions());
  const boardQuery = useQuery(serviceBoardQueryOptions(service.slug));
  const row = boardQuery.data ?? null;
  const stages = stagesQuery.data?.items;
  const environments = environmentsQuery.data?.items;
  const canEditStages = useCanEditStages(service.team);
  const [settingsFor, setSettingsFor] = useState<StageSettingsTarget | null>(null);
  const [verificationFor, setVerificationFor] = useState<VerificationTarget | null>(null);
  const openSettings = (node: PipelineNode) =>
    setSettingsFor({
      stageId: node.stage.id,
      serviceSlug: service.slug,
      serviceName: service.name,
      environmentName: environmentLabel(node),
    });

  // The graph needs stages and environments; what runs where fills in when the board answers.
  const pipelineQuery = {
    isPending: stagesQuery.isPending || environmentsQuery.isPending,
    isFetching: stagesQuery.isFetching || environmentsQuery.isFetching,
    data: stages && environments ? true : undefined,
    error: stagesQuery.error ?? environmentsQuery.error,
    refetch: () => Promise.all([stagesQuery.refetch(), environmentsQuery.refetch()]),
  };
  const pipeline = useMemo(
    () => (stages && environments ? buildPipeline(stages, environments, row) : null),
    [stages, environments, row],
  );
  // Environments this service deploys to, in promotion order.
  const serviceEnvironments = useMemo(
    () =>
      environments?.filter((environment) =>
        stages?.some((stage) => stage.environmentId === environment.id),
      ) ?? [],
    [stages, environments],
  );

  return (
    <>
      <ServiceHeader service={service} />
      <section className="service-section" aria-labelledby="pipeline-heading">
        <h2 id="pipeline-heading" className="section-title">
          Pipeline
        </h2>
        <TableState
          query={pipelineQuery}
          errorTitle="The pipeline could not be loaded"
          isEmpty={(stages?.length ?? 0) === 0}
          loadingLabel="Loading the pipeline…"
          skeletonRows={4}
          empty={
            <EmptyState icon={<Workflow size={22} aria-hidden />} title="No stages yet">
              <p>This service does not deploy to any environment yet.</p>
            </EmptyState>
          }
        >
          {pipeline ? (
            <PipelineGraph
              pipeline={pipeline}
              onOpenSettings={openSettings}
              onOpenVerification={
                canEditStages
                  ? (node) =>
                      setVerificationFor({
                        stageId: node.stage.id,
                        serviceSlug: service.slug,
                        serviceName: service.name,
                        environmentName: environmentLabel(node),
                      })
                  : undefined
              }
            />
          ) : null}
        </TableState>
      </section>
      <ReleasesTable slug={service.slug} row={row} environments={environments ?? []} />
      <GitHubReleasesPanel service={service} canEdit={canEditStages} />
      {serviceEnvironments.length > 0 ? (
        <StageHistory service={service.slug} environments={serviceEnvironments} />
      ) : null}
      {settingsFor ? (
        <StageSettingsDialog
          key={settingsFor.stageId}
          target={settingsFor}
          canEdit={canEditStages}
          onClose={() => setSettingsFor(null)}
        />
      ) : null}
      {verificationFor ? (
        <VerificationSettingsDialog
          key={verificationFor.stageId}
          target={verificationFor}
          onClose={() => setVerificationFor(null)}
        />
      ) : null}
    </>
  );
}

function ServiceHeader({ service }: { service: Service }) {
  const repository = service.repository;
  return (
    <PageHeader
      title={service.name}
      description={service.description || undefined}
      actions={
        <DeclareIncidentButton
          stageFilter={service.slug}
          context={`Tick the stages of ${service.slug} (or others) that are affected.`}
        />
      }
    >
      <dl className="service-facts">
        <div>
          <dt>Slug</dt>
          <dd className="mono">{service.slug}</dd>
        </div>
        <div>
          <dt>Team</dt>
          <dd>{service.team ? <Badge>{service.team}</Badge> : <span className="muted">No team</span>}</dd>
        </div>
        <div>
          <dt>Repository</dt>
          <dd>
            {repository ? (
              <a
                className="service-repo"
                href={`https://github.com/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.name)}`}
                target="_blank"
                rel="noreferrer"
              >
                {repository.owner}/{repository.name}
                <ExternalLink size={12} aria-hidden />
              </a>
            ) : (
              <span className="muted">Not linked</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Default branch</dt>
          <dd className="mono">
            <GitBranch size={12} aria-hidden /> {service.defaultBranch}
          </dd>
        </div>
      </dl>
    </PageHeader>
  );
}
