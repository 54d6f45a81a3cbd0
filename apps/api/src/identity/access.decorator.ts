import { SetMetadata } from '@nestjs/common';
import type { RouteAccess } from '@flightdeck/contracts';

export const ACCESS_METADATA = 'flightdeck:access';

// For routes outside the API contract (health, metrics, docs); contract routes carry `access` in their entry.
export const Access = (access: RouteAccess): MethodDecorator => SetMetadata(ACCESS_METADATA, access);
