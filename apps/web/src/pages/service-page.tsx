import { useParams } from 'react-router';
import { ServiceView } from '../features/service/service-view';

export function ServicePage() {
  const { slug = '' } = useParams();
  // Keyed by slug: moving to another service starts from a clean page, not the last one's state.
  return <ServiceView key={slug} slug={slug} />;
}
