import { useQuery } from '@tanstack/react-query';
import { Database, FlaskConical } from 'lucide-react';
import { Badge } from '../../components/ui/badge';
import { Tooltip } from '../../components/ui/tooltip';
import { instanceQueryOptions } from './instance-query';

export function InstanceBadge() {
  const { data } = useQuery(instanceQueryOptions());
  if (!data) return null;
  return (
    <div className="instance-badge" aria-label="Instance">
      {data.demo ? (
        <Tooltip content="This instance runs on generated demo data and sandbox targets. Nothing real is deployed.">
          <Badge tone="warning" icon={<FlaskConical size={12} aria-hidden />}>
            Demo data
          </Badge>
        </Tooltip>
      ) : null}
      {data.database === 'embedded' ? (
        <Tooltip
          className="hide-narrow"
          content="State lives in an embedded Postgres on this node. Use an external database to run more than one replica."
        >
          <Badge tone="neutral" icon={<Database size={12} aria-hidden />}>
            Embedded database
          </Badge>
        </Tooltip>
      ) : null}
      <span className="instance-version mono" title={`Flightdeck ${data.version}`}>
        v{data.version.replace(/^v/, '')}
      </span>
    </div>
  );
}
