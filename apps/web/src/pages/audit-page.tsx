import { RequirePermission } from '../features/auth/require-permission';
import { AuditView } from '../features/audit/audit-view';

export function AuditPage() {
  return (
    <>
      <title>Audit log · Flightdeck</title>
      <RequirePermission permission="audit:read" what="the audit log">
        <AuditView />
      </RequirePermission>
    </>
  );
}
