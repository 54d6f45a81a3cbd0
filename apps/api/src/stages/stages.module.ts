import { Module } from '@nestjs/common';
import { StagesController } from './stages.controller.js';
import { StagesRepository } from './stages.repository.js';
import { StagesService } from './stages.service.js';

@Module({ controllers: [StagesController], providers: [StagesRepository, StagesService] })
export class StagesModule {}
