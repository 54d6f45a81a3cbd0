import { useParams } from 'react-router';
import { DeploymentView } from '../features/deployments/deployment-view';

export function DeploymentPage() {
  const { id = '' } = useParams();
  return <DeploymentView key={id} id={id} />;
}
