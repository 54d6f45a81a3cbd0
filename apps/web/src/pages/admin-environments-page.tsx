import { AdminLayout } from '../features/admin/admin-layout';
import { EnvironmentAccessView } from '../features/admin/environment-access-view';

export function AdminEnvironmentsPage() {
  return (
    <>
      <title>Environment access · Admin · Flightdeck</title>
      <AdminLayout>
        <EnvironmentAccessView />
      </AdminLayout>
    </>
  );
}
