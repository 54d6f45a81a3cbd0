import { Module } from '@nestjs/common';
import { GitHubChecksRefresher } from './checks.service.js';
import { GitHubModule } from './github.module.js';

// CI results of release commits, kept in Postgres for the `checks` gate and the approval evidence.
@Module({
  imports: [GitHubModule],
  providers: [GitHubChecksRefresher],
  exports: [GitHubChecksRefresher],
})
export class ChecksModule {}
