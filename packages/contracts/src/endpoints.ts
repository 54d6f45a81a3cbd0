import { z } from 'zod';
import { boardQuerySchema, boardSchema } from './schemas/board.js';
import {
  environmentSchema,
  listServicesQuerySchema,
  listStagesQuerySchema,
  serviceParamsSchema,
  serviceSchema,
  stageSchema,
} from './schemas/catalog.js';
import { listOf, pageOf } from './schemas/common.js';
import {
  deploymentDetailSchema,
  deploymentSchema,
  listDeploymentsQuerySchema,
} from './schemas/deployments.js';
import { instanceInfoSchema } from './schemas/meta.js';
import { idParamsSchema, listReleasesQuerySchema, releaseSchema } from './schemas/releases.js';
import { defineEndpoint } from './endpoint.js';

export const endpoints = {
  getInstanceInfo: defineEndpoint({
    id: 'getInstanceInfo',
    method: 'GET',
    path: '/api/v1/instance',
    summary: 'Which Flightdeck this is: version, database mode, demo mode',
    tag: 'instance',
    response: instanceInfoSchema,
  }),
  getBoard: defineEndpoint({
    id: 'getBoard',
    method: 'GET',
    path: '/api/v1/board',
    summary: 'Every service × environment: current release, status, health, age and what waits upstream',
    tag: 'board',
    query: boardQuerySchema,
    response: boardSchema,
    errors: [400],
  }),
  listServices: defineEndpoint({
    id: 'listServices',
    method: 'GET',
    path: '/api/v1/services',
    summary: 'List services',
    tag: 'catalog',
    query: listServicesQuerySchema,
    response: pageOf(serviceSchema),
    errors: [400],
  }),
  getService: defineEndpoint({
    id: 'getService',
    method: 'GET',
    path: '/api/v1/services/{slug}',
    summary: 'Get one service',
    tag: 'catalog',
    params: serviceParamsSchema,
    response: serviceSchema,
    errors: [400, 404],
  }),
  listEnvironments: defineEndpoint({
    id: 'listEnvironments',
    method: 'GET',
    path: '/api/v1/environments',
    summary: 'List environments in promotion order',
    tag: 'catalog',
    response: listOf(environmentSchema),
  }),
  listStages: defineEndpoint({
    id: 'listStages',
    method: 'GET',
    path: '/api/v1/stages',
    summary: 'List stages (service × environment) with their upstream stages',
    tag: 'catalog',
    query: listStagesQuerySchema,
    response: listOf(stageSchema),
    errors: [400],
  }),
  listReleases: defineEndpoint({
    id: 'listReleases',
    method: 'GET',
    path: '/api/v1/releases',
    summary: 'List releases, newest first',
    tag: 'releases',
    query: listReleasesQuerySchema,
    response: pageOf(releaseSchema),
    errors: [400],
  }),
  getRelease: defineEndpoint({
    id: 'getRelease',
    method: 'GET',
    path: '/api/v1/releases/{id}',
    summary: 'Get one release',
    tag: 'releases',
    params: idParamsSchema,
    response: releaseSchema,
    errors: [400, 404],
  }),
  listDeployments: defineEndpoint({
    id: 'listDeployments',
    method: 'GET',
    path: '/api/v1/deployments',
    summary: 'List deployments, newest first',
    tag: 'deployments',
    query: listDeploymentsQuerySchema,
    response: pageOf(deploymentSchema),
    errors: [400],
  }),
  getDeployment: defineEndpoint({
    id: 'getDeployment',
    method: 'GET',
    path: '/api/v1/deployments/{id}',
    summary: 'Get one deployment with its event log',
    tag: 'deployments',
    params: idParamsSchema,
    response: deploymentDetailSchema,
    errors: [400, 404],
  }),
} as const;

export type Endpoints = typeof endpoints;
export type EndpointId = keyof Endpoints;

// Kept so `z` stays a value import for declaration emit of the schemas above.
export const endpointList = Object.values(endpoints) as readonly (typeof endpoints)[EndpointId][];
void z;
