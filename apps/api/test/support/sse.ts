import type { HttpClient } from './http-client.js';

export interface SseMessage {
  event: string;
  data: string;
}

// A minimal server-sent-events reader over fetch, with the client's cookies or token.
export async function openEventStream(client: HttpClient, path = '/api/v1/events') {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (client.cookies.size) headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const controller = new AbortController();
  const response = await fetch(client.baseUrl + path, { headers, signal: controller.signal });
  const messages: SseMessage[] = [];
  const waiters: Array<() => void> = [];
  let comments = 0;
  const pump = async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) comments++;
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) messages.push({ event, data });
          waiters.splice(0).forEach((wake) => wake());
        }
      }
    } catch {
      // Aborted by close().
    }
  };
  void pump();
  return {
    response,
    messages,
    get comments() {
      return comments;
    },
    // Resolves with the first message that satisfies the predicate, or rejects after the timeout.
    async next(predicate: (message: SseMessage) => boolean, timeoutMs = 5_000): Promise<SseMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100).unref();
        });
      }
    },
    close: () => controller.abort(),
  };
}
