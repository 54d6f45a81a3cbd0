import { Controller, Inject } from '@nestjs/common';
import { endpoints, type ResponseOf } from '@flightdeck/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Endpoint } from '../common/endpoint.decorator.js';
import { githubWebUrl } from './github-web-url.js';
import { APP_VERSION } from './version.js';

@Controller()
export class InstanceController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Endpoint(endpoints.getInstanceInfo)
  get(): ResponseOf<typeof endpoints.getInstanceInfo> {
    return {
      name: 'Flightdeck',
      version: APP_VERSION,
      database: this.config.database.mode,
      demo: this.config.demo,
      githubWebUrl: githubWebUrl(this.config.github.apiUrl),
    };
  }
}
