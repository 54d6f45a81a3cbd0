import { Injectable } from '@nestjs/common';

// Whether this process still wants traffic: a stop turns readiness red first, so a load balancer
// sends new requests elsewhere while the requests in flight finish.
@Injectable()
export class Readiness {
  private stopping = false;

  get draining(): boolean {
    return this.stopping;
  }

  drain(): void {
    this.stopping = true;
  }
}
