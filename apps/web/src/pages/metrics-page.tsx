import { DeliveryMetricsView } from '../features/delivery-metrics/delivery-metrics-view';

export function MetricsPage() {
  return (
    <>
      <title>Delivery metrics · Flightdeck</title>
      <DeliveryMetricsView />
    </>
  );
}
