import { AdminLayout } from '../features/admin/admin-layout';
import { ApprovalPoliciesView } from '../features/approvals/approval-policies-view';

export function AdminApprovalPoliciesPage() {
  return (
    <>
      <title>Approval policies · Admin · Flightdeck</title>
      <AdminLayout>
        <ApprovalPoliciesView />
      </AdminLayout>
    </>
  );
}
