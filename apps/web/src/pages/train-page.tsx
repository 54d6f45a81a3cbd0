import { useParams } from 'react-router';
import { TrainView } from '../features/trains/train-view';

export function TrainPage() {
  const { id = '' } = useParams();
  return <TrainView key={id} id={id} />;
}
