import { Delete, Get, HttpCode, Patch, Post, Put, SetMetadata, applyDecorators } from '@nestjs/common';
import { type EndpointDef, toRouterPath } from '@flightdeck/contracts';

export const ENDPOINT_METADATA = 'flightdeck:endpoint';

const METHOD_DECORATORS = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete } as const;

// Binds a controller method to its contract entry: route, status and metadata the route test reads.
export function Endpoint(def: EndpointDef): MethodDecorator {
  const decorators: MethodDecorator[] = [
    METHOD_DECORATORS[def.method](toRouterPath(def.path)),
    SetMetadata(ENDPOINT_METADATA, def),
    // The contract's status, not Nest's default of 201 for every POST.
    HttpCode(def.status ?? 200),
  ];
  return applyDecorators(...decorators);
}
