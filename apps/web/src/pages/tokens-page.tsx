import { TokensView } from '../features/tokens/tokens-view';

export function TokensPage() {
  return (
    <>
      <title>API tokens · Flightdeck</title>
      <TokensView />
    </>
  );
}
