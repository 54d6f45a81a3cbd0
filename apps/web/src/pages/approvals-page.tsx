import { ApprovalsInbox } from '../features/approvals/approvals-inbox';

export function ApprovalsPage() {
  return (
    <>
      <title>Approvals · Flightdeck</title>
      <ApprovalsInbox />
    </>
  );
}
