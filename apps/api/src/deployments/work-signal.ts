import { Injectable } from '@nestjs/common';

// "There is deployment work now": lets request handlers wake this process's runner without a
// dependency on it. Other replicas notice on their next tick.
@Injectable()
export class WorkSignal {
  private readonly listeners = new Set<() => void>();
  private readonly cancelListeners = new Set<(deploymentId: string) => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  // A deployment that may still be running at its target was cancelled: ask the driver to stop.
  onCancelled(listener: (deploymentId: string) => void): () => void {
    this.cancelListeners.add(listener);
    return () => this.cancelListeners.delete(listener);
  }

  cancelled(deploymentId: string): void {
    for (const listener of this.cancelListeners) listener(deploymentId);
  }
}
