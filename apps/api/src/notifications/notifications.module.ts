import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { SingleFlight } from '../runner/single-flight.js';
import { NotificationDispatcher } from './notification-dispatcher.service.js';
import { NotificationRetention } from './notification-retention.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';

// Events are recorded by the modules where things happen (outbox.ts, in their transactions); this
// module sends them and manages channels and the delivery log.
@Module({
  imports: [DeploymentsModule],
  controllers: [NotificationsController],
  providers: [
    NotificationsRepository,
    NotificationsService,
    NotificationDispatcher,
    NotificationRetention,
    SingleFlight,
  ],
  exports: [NotificationDispatcher],
})
export class NotificationsModule {}
