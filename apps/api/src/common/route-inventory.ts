import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { EndpointDef } from '@flightdeck/contracts';
import { ENDPOINT_METADATA } from './endpoint.decorator.js';

export interface RouteInfo {
  readonly method: string;
  readonly path: string;
  readonly controller: string;
  readonly handler: string;
  readonly endpoint?: EndpointDef;
  // The handler function, which carries the route's metadata.
  readonly handlerRef: object;
}

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

// Every HTTP route the app serves, read from controller metadata: the basis of tests that
// hold each route to its contract (and, later, to its permission).
export function listRoutes(app: INestApplicationContext): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, type) as string | undefined) ?? '/';
      const prototype = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        routes.push({
          method: RequestMethod[method],
          path: joinPath(base, path),
          controller: type.name,
          handler: name,
          endpoint: Reflect.getMetadata(ENDPOINT_METADATA, handler) as EndpointDef | undefined,
          handlerRef: handler,
        });
      }
    }
  }
  return routes;
}
