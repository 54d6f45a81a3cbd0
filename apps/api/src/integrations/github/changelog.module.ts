import { Module } from '@nestjs/common';
import { ChangelogController } from './changelog.controller.js';
import { ChangelogService } from './changelog.service.js';
import { GitHubModule } from './github.module.js';

// What changes between two releases, from GitHub: GET /stages/{id}/changelog and for the evidence.
@Module({
  imports: [GitHubModule],
  controllers: [ChangelogController],
  providers: [ChangelogService],
  exports: [ChangelogService],
})
export class ChangelogModule {}
