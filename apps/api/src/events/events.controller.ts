import { Controller, Inject, Req, Res } from '@nestjs/common';
import { endpoints } from '@flightdeck/contracts';
import type { Request, Response } from 'express';
import { Subscription } from 'rxjs';
import { Endpoint } from '../common/endpoint.decorator.js';
import { LiveEvents } from './live-events.service.js';

const HEARTBEAT_MS = 15_000;

@Controller()
export class EventsController {
  constructor(@Inject(LiveEvents) private readonly events: LiveEvents) {}

  // Server-sent events: one message per live event, a comment as a heartbeat so proxies keep the
  // stream open, and nothing buffered for replay (clients refetch after reconnecting).
  @Endpoint(endpoints.streamEvents)
  stream(@Req() req: Request, @Res() res: Response): void {
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('connection', 'keep-alive');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    let id = 0;
    // A container, so stop() works even if the stream has already completed while subscribing.
    const subscription = new Subscription();
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    const stop = () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
      if (!res.writableEnded) res.end();
    };
    // The stream completes when the app shuts down: end the response so shutdown does not wait on it.
    subscription.add(
      this.events.stream.subscribe({
        next: (event) => res.write(`id: ${++id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
        complete: stop,
      }),
    );
    req.on('close', stop);
  }
}
