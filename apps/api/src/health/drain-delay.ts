// The wait between readiness turning red and the listener closing: load balancers notice the red
// readiness (or the pod's removal) only after a while, and keep routing requests here until then.
// skip() ends the wait early (a second stop signal).
export class DrainDelay {
  private end: (() => void) | null = null;
  private skipped = false;

  wait(ms: number): Promise<void> {
    if (this.skipped || ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.end = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  skip(): void {
    this.skipped = true;
    this.end?.();
  }
}
