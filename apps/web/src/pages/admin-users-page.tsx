import { AdminLayout } from '../features/admin/admin-layout';
import { UsersView } from '../features/admin/users-view';

export function AdminUsersPage() {
  return (
    <>
      <title>Users · Admin · Flightdeck</title>
      <AdminLayout>
        <UsersView />
      </AdminLayout>
    </>
  );
}
