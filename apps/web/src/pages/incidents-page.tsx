import { IncidentsView } from '../features/incidents/incidents-view';

export function IncidentsPage() {
  return <IncidentsView />;
}
