import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildBoardFixture } from '../../test/fixtures/board';
import { signedOut } from '../../test/fixtures/identity';
import { instanceFixture, renderApp, stubApi } from '../../test/render-app';
import { ignoredLiveEvents } from './live-status';

// A stand-in for the browser's EventSource (jsdom has none): the test drives open, error and messages.
class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readyState = FakeEventSource.CONNECTING;
  closed = false;

  constructor(readonly url: string) {
    super();
    FakeEventSource.instances.push(this);
  }

  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }

  open() {
    this.readyState = FakeEventSource.OPEN;
    act(() => void this.dispatchEvent(new Event('open')));
  }

  fail(state: number = FakeEventSource.CONNECTING) {
    this.readyState = state;
    act(() => void this.dispatchEvent(new Event('error')));
  }

  emit(type: string, data: unknown) {
    const payload = typeof data === 'string' ? data : JSON.stringify(data);
    act(() => void this.dispatchEvent(new MessageEvent(type, { data: payload })));
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('no EventSource was opened');
    return source;
  }
}

const AT = '2026-11-22T10:00:00.000Z';

function setup() {
  const board = buildBoardFixture();
  const api = stubApi({ '/api/v1/board': { body: board }, '/api/v1/instance': { body: instanceFixture } });
  const view = renderApp('/');
  const boardFetches = () => api.calls.filter((call) => call === '/api/v1/board').length;
  return { board, api, view, boardFetches };
}

describe('live updates', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens one stream for a signed-in user and shows Live once it is connected', async () => {
    setup();
    await screen.findByRole('grid', { name: 'Promotion board' });
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.latest().url).toBe('/api/v1/events');
    expect(screen.getByText(/^Updated /)).toBeInTheDocument();

    FakeEventSource.latest().open();
    expect(await screen.findByText('Live')).toHaveAttribute('data-state', 'live');
    expect(screen.queryByText(/^Updated /)).not.toBeInTheDocument();

    // A dropped stream is not live any more: the age of the data is what counts again.
    FakeEventSource.latest().fail();
    expect(await screen.findByText(/^Updated /)).toBeInTheDocument();
  });

  it('refetches the board when an event names something on it', async () => {
    const { boardFetches } = setup();
    await screen.findByRole('grid');
    const source = FakeEventSource.latest();
    source.open();
    expect(boardFetches()).toBe(1);

    source.emit('stage.updated', {
      type: 'stage.updated',
      stageId: '00000000-0000-4000-8000-00000000aaaa',
      serviceSlug: 'checkout-api',
      environmentSlug: 'production',
      at: AT,
    });
    await waitFor(() => expect(boardFetches()).toBe(2));

    source.emit('release.created', {
      type: 'release.created',
      releaseId: '00000000-0000-4000-8000-00000000bbbb',
      serviceSlug: 'search',
      version: 'v2.2.0',
      at: AT,
    });
    await waitFor(() => expect(boardFetches()).toBe(3));
  });

  it('shows a deployment’s new status at once, before the refetch returns', async () => {
    const board = buildBoardFixture();
    const searchDev = Object.values(board.rows[1]!.cells).find(
      (cell) => cell.lastDeployment?.status === 'running',
    )!;
    let release: () => void = () => undefined;
    let first = true;
    stubApi({ '/api/v1/instance': { body: instanceFixture } });
    const fetchStub = vi.mocked(fetch);
    const original = fetchStub.getMockImplementation()!;
    fetchStub.mockImplementation((input, init) => {
      const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
      if (url.endsWith('/api/v1/board')) {
        if (first) {
          first = false;
          return Promise.resolve(Response.json(board));
        }
        // The confirming refetch hangs, so only the patch can have changed the cell.
        return new Promise((resolve) => {
          release = () => resolve(Response.json(board));
        });
      }
      return original(input, init);
    });
    renderApp('/');
    const grid = await screen.findByRole('grid');
    FakeEventSource.latest().open();
    FakeEventSource.latest().emit('deployment.updated', {
      type: 'deployment.updated',
      deploymentId: searchDev.lastDeployment!.id,
      stageId: searchDev.stageId,
      status: 'verifying',
      at: AT,
    });
    const cell = within(grid).getByRole('gridcell', { name: /^Search in Dev:/ });
    expect(await within(cell).findByText('Verifying')).toBeInTheDocument();
    release();
  });

  it('refetches the board after a reconnect, since the server keeps no replay buffer', async () => {
    const { boardFetches } = setup();
    await screen.findByRole('grid');
    const source = FakeEventSource.latest();
    source.open();
    expect(boardFetches()).toBe(1);

    source.fail();
    source.open();
    await waitFor(() => expect(boardFetches()).toBe(2));
    expect(await screen.findByText('Live')).toBeInTheDocument();
  });

  it('opens a new stream when the browser gives up on the old one', async () => {
    setup();
    await screen.findByRole('grid');
    vi.useFakeTimers();
    const first = FakeEventSource.latest();
    first.fail(FakeEventSource.CLOSED);
    expect(first.closed).toBe(true);
    act(() => void vi.advanceTimersByTime(3_000));
    expect(FakeEventSource.instances).toHaveLength(2);
    vi.useRealTimers();
  });

  it('ignores and counts messages that are not a known event', async () => {
    const { boardFetches } = setup();
    await screen.findByRole('grid');
    const source = FakeEventSource.latest();
    source.open();
    const before = ignoredLiveEvents();

    source.emit('stage.updated', '{not json');
    source.emit('stage.updated', { type: 'stage.updated', stageId: 'nope', at: AT });
    source.emit('message', { type: 'stage.exploded', at: AT });
    // The event name must match the payload's type.
    source.emit('service.updated', {
      type: 'release.created',
      releaseId: '00000000-0000-4000-8000-00000000bbbb',
      serviceSlug: 'search',
      version: 'v2.2.0',
      at: AT,
    });

    expect(ignoredLiveEvents()).toBe(before + 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(boardFetches()).toBe(1);
    expect(screen.getByText('Live')).toBeInTheDocument();
  });

  it('closes the stream on sign-out', async () => {
    setup();
    await screen.findByRole('grid');
    const source = FakeEventSource.latest();
    source.open();
    stubApi({
      '/api/v1/board': { body: buildBoardFixture() },
      '/api/v1/instance': { body: instanceFixture },
      'POST /api/v1/auth/logout': {
        body: signedOut(),
      },
    });
    await userEvent.click(screen.getByRole('button', { name: /Account menu/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(source.closed).toBe(true));
  });
});
