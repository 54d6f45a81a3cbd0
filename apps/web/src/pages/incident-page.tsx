import { useParams } from 'react-router';
import { IncidentView } from '../features/incidents/incident-view';

export function IncidentPage() {
  const { id = '' } = useParams();
  return <IncidentView key={id} id={id} />;
}
