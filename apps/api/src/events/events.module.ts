import { Global, Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';
import { LiveEvents } from './live-events.service.js';

@Global()
@Module({ controllers: [EventsController], providers: [LiveEvents], exports: [LiveEvents] })
export class EventsModule {}
