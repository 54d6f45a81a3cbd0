import { Module } from '@nestjs/common';
import { SingleFlight } from '../../runner/single-flight.js';
import { ArgoCdHealthPoller } from './argocd-health.poller.js';
import { ArgoCdHealthRepository } from './argocd-health.repository.js';
import { ArgoSyncWindows } from './argocd-sync-windows.js';

// Argo CD beyond the driver: the health poller, and Argo's sync-window verdict for the gates.
@Module({
  providers: [ArgoCdHealthPoller, ArgoCdHealthRepository, ArgoSyncWindows, SingleFlight],
  exports: [ArgoSyncWindows, ArgoCdHealthPoller],
})
export class ArgoCdModule {}
