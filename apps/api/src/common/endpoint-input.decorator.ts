import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { EndpointDef } from '@flightdeck/contracts';
import type { Request } from 'express';
import { ENDPOINT_METADATA } from './endpoint.decorator.js';
import { ZodPipe } from './zod.pipe.js';

type Part = 'query' | 'params' | 'body';

// Validates one part of the request against the schema of the handler's own contract entry,
// so a controller never names a schema twice.
function endpointInput(part: Part) {
  return createParamDecorator((_: unknown, context: ExecutionContext): unknown => {
    const def = Reflect.getMetadata(ENDPOINT_METADATA, context.getHandler()) as EndpointDef | undefined;
    const schema = def?.[part];
    if (!schema) throw new Error(`@${part} used on a handler whose endpoint declares no ${part} schema`);
    return new ZodPipe(schema, part).transform(context.switchToHttp().getRequest<Request>()[part]);
  });
}

export const ValidQuery = endpointInput('query');
export const ValidParams = endpointInput('params');
export const ValidBody = endpointInput('body');
