import { Injectable } from '@nestjs/common';

// "There is deployment work now": lets request handlers wake this process's runner without a
// dependency on it. Other replicas notice on their next tick.
@Injectable()
export class WorkSignal {
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
