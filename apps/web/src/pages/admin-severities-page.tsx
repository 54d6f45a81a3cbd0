import { AdminLayout } from '../features/admin/admin-layout';
import { SeveritiesView } from '../features/incidents/severities-view';

export function AdminSeveritiesPage() {
  return (
    <>
      <title>Incident severities · Admin · Flightdeck</title>
      <AdminLayout>
        <SeveritiesView />
      </AdminLayout>
    </>
  );
}
