import { AdminLayout } from '../features/admin/admin-layout';
import { TeamsView } from '../features/admin/teams-view';

export function AdminTeamsPage() {
  return (
    <>
      <title>Teams · Admin · Flightdeck</title>
      <AdminLayout>
        <TeamsView />
      </AdminLayout>
    </>
  );
}
