import { AdminLayout } from '../features/admin/admin-layout';
import { NotificationChannelsView } from '../features/notification-channels/notification-channels-view';

export function AdminNotificationsPage() {
  return (
    <>
      <title>Notifications · Admin · Flightdeck</title>
      <AdminLayout>
        <NotificationChannelsView />
      </AdminLayout>
    </>
  );
}
