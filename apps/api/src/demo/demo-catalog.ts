import type { TierKind } from '@flightdeck/contracts';

// The demo world: realistic services over preview → dev → staging → production, all on the
// built-in sandbox driver (a simulated target, labelled as such in the UI).
export const DEMO_ENVIRONMENTS: ReadonlyArray<{ slug: string; name: string; tier: TierKind }> = [
  { slug: 'preview', name: 'Preview', tier: 'development' },
  { slug: 'dev', name: 'Dev', tier: 'development' },
  { slug: 'staging', name: 'Staging', tier: 'staging' },
  { slug: 'production', name: 'Production', tier: 'production' },
];

export interface DemoService {
  slug: string;
  name: string;
  description: string;
  team: string;
  repo: string;
  environments: readonly string[];
  releases: number;
}

export const DEMO_SERVICES: readonly DemoService[] = [
  {
    slug: 'checkout-api',
    name: 'Checkout API',
    description: 'Carts, pricing and order placement',
    team: 'commerce',
    repo: 'acme/checkout-api',
    environments: ['preview', 'dev', 'staging', 'production'],
    releases: 9,
  },
  {
    slug: 'payments-service',
    name: 'Payments Service',
    description: 'Card authorisation, capture and refunds',
    team: 'payments',
    repo: 'acme/payments-service',
    environments: ['dev', 'staging', 'production'],
    releases: 7,
  },
  {
    slug: 'web-storefront',
    name: 'Web Storefront',
    description: 'The customer-facing web shop',
    team: 'commerce',
    repo: 'acme/web-storefront',
    environments: ['preview', 'dev', 'staging', 'production'],
    releases: 11,
  },
  {
    slug: 'catalog-search',
    name: 'Catalog Search',
    description: 'Product search and ranking',
    team: 'discovery',
    repo: 'acme/catalog-search',
    environments: ['dev', 'staging', 'production'],
    releases: 8,
  },
  {
    slug: 'identity-gateway',
    name: 'Identity Gateway',
    description: 'Sign-in, sessions and tokens',
    team: 'identity',
    repo: 'acme/identity-gateway',
    environments: ['dev', 'staging', 'production'],
    releases: 6,
  },
  {
    slug: 'notifications-worker',
    name: 'Notifications Worker',
    description: 'E-mail, SMS and push delivery',
    team: 'platform',
    repo: 'acme/notifications-worker',
    environments: ['dev', 'staging', 'production'],
    releases: 8,
  },
  {
    slug: 'inventory-sync',
    name: 'Inventory Sync',
    description: 'Stock levels from the warehouses',
    team: 'fulfilment',
    repo: 'acme/inventory-sync',
    environments: ['dev', 'staging', 'production'],
    releases: 7,
  },
  {
    slug: 'fraud-scoring',
    name: 'Fraud Scoring',
    description: 'Real-time risk scores for orders',
    team: 'payments',
    repo: 'acme/fraud-scoring',
    environments: ['dev', 'staging', 'production'],
    releases: 6,
  },
];

export const DEMO_PEOPLE = ['maria.k', 'tom.b', 'aisha.r', 'lee.w', 'deploy-bot', 'sam.o'] as const;

export const DEMO_NOTES = [
  'Bump dependencies and tighten request timeouts',
  'Add retry with jitter on upstream calls',
  'Fix rounding of multi-currency totals',
  'Faster cold start: lazy-load the rules engine',
  'New metrics for queue depth and lag',
  'Guard against empty payloads from the partner API',
  'Cache warm-up after deploy',
  'Reduce log noise on health checks',
  'Feature flag: new checkout summary',
  'Patch CVE in the HTTP parser',
] as const;
