import { z } from 'zod';
import { grantActionSchema, PERMISSIONS, roleSchema, tokenScopeSchema } from '../permissions.js';
import { isoDateTime, pageQuerySchema, slugSchema, uuidSchema } from './common.js';

const email = z
  .email('must be an e-mail address')
  .max(254)
  .transform((value) => value.toLowerCase());
// Length is what makes a password strong; no composition rules (NIST SP 800-63B).
const newPassword = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(512, 'must be at most 512 characters');
const displayName = z.string().trim().min(1, 'must not be empty').max(100);

export const membershipSchema = z.object({
  team: z.object({ id: uuidSchema, slug: z.string(), name: z.string() }),
  role: roleSchema,
});

export const userSchema = z
  .object({
    id: uuidSchema,
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    disabled: z.boolean(),
    hasPassword: z.boolean(),
    sso: z.boolean(),
    memberships: z.array(membershipSchema),
    lastLoginAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

// The signed-in principal as the web app sees it: who, and what they may do globally.
export const meSchema = userSchema
  .extend({
    permissions: z.array(z.enum(PERMISSIONS)),
    via: z.enum(['session', 'token']),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const authStateSchema = z
  .object({
    user: meSchema.nullable(),
    // Send it back as the X-CSRF-Token header on every cookie-authenticated change.
    csrfToken: z.string().nullable(),
    setupRequired: z.boolean(),
    sso: z.object({ enabled: z.boolean(), name: z.string() }),
    localLogin: z.boolean(),
  })
  .meta({ id: 'AuthState' });
export type AuthState = z.infer<typeof authStateSchema>;

export const loginBodySchema = z.object({ email, password: z.string().min(1, 'is required').max(512) });
export const setupBodySchema = z.object({
  setupToken: z.string().min(1, 'is required').max(200),
  email,
  name: displayName,
  password: newPassword,
});
export const changePasswordBodySchema = z.object({
  currentPassword: z.string().min(1, 'is required').max(512),
  newPassword,
});

export const createUserBodySchema = z.object({
  email,
  name: displayName,
  role: roleSchema.default('viewer'),
  password: newPassword.optional(),
});
export const updateUserBodySchema = z
  .object({ name: displayName, role: roleSchema, disabled: z.boolean() })
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'must change at least one of name, role, disabled');
export const listUsersQuerySchema = pageQuerySchema.extend({ q: z.string().min(1).max(100).optional() });

export const teamSchema = z
  .object({
    id: uuidSchema,
    slug: z.string(),
    name: z.string(),
    members: z.array(z.object({ userId: uuidSchema, name: z.string(), email: z.string(), role: roleSchema })),
    serviceSlugs: z.array(z.string()),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof teamSchema>;

export const createTeamBodySchema = z.object({ slug: slugSchema, name: displayName });
export const teamParamsSchema = z.object({ slug: slugSchema });
export const teamMemberParamsSchema = z.object({ slug: slugSchema, userId: uuidSchema });
export const teamMemberBodySchema = z.object({ role: roleSchema });

export const environmentGrantSchema = z
  .object({
    id: uuidSchema,
    environmentSlug: z.string(),
    action: grantActionSchema,
    user: z.object({ id: uuidSchema, name: z.string(), email: z.string() }).nullable(),
    team: z.object({ id: uuidSchema, slug: z.string(), name: z.string() }).nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'EnvironmentGrant' });
export type EnvironmentGrant = z.infer<typeof environmentGrantSchema>;

export const environmentParamsSchema = z.object({ slug: slugSchema });
export const createGrantBodySchema = z
  .object({ action: grantActionSchema, userId: uuidSchema.optional(), teamSlug: slugSchema.optional() })
  .refine((value) => (value.userId === undefined) !== (value.teamSlug === undefined), {
    message: 'give exactly one of userId or teamSlug',
    path: ['userId'],
  });

export const apiTokenSchema = z
  .object({
    id: uuidSchema,
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(tokenScopeSchema),
    expiresAt: isoDateTime.nullable(),
    lastUsedAt: isoDateTime.nullable(),
    revokedAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const createTokenBodySchema = z.object({
  name: displayName,
  scopes: z.array(tokenScopeSchema).min(1, 'must name at least one scope'),
  // Null: never expires. Tokens for CI should expire; the UI defaults to 90 days.
  expiresInDays: z.number().int().min(1).max(366).nullable().default(90),
});
// The secret is shown once, in this answer, and never again.
export const createdTokenSchema = apiTokenSchema
  .extend({ token: z.string() })
  .meta({ id: 'CreatedApiToken' });

export const auditEventSchema = z
  .object({
    id: z.string(),
    occurredAt: isoDateTime,
    actor: z.object({
      type: z.enum(['user', 'token', 'system', 'anonymous']),
      id: z.string().nullable(),
      name: z.string(),
    }),
    action: z.string(),
    outcome: z.enum(['success', 'denied', 'failure']),
    target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
    reason: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditFilterSchema = z.object({
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(100).optional(),
  outcome: z.enum(['success', 'denied', 'failure']).optional(),
  targetType: z.string().min(1).max(50).optional(),
  targetId: z.string().min(1).max(200).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export const listAuditQuerySchema = pageQuerySchema.extend(auditFilterSchema.shape);

export const auditVerificationSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    // The first event whose stored hash or link to its predecessor does not hold.
    firstBroken: z.object({ id: z.string(), reason: z.string() }).nullable(),
    verifiedAt: isoDateTime,
  })
  .meta({ id: 'AuditVerification' });
export type AuditVerification = z.infer<typeof auditVerificationSchema>;

export const lockBodySchema = z.object({
  reason: z.string().trim().min(3, 'say why, in a few words').max(500),
});
export const stageParamsSchema = z.object({ id: uuidSchema });
export const updateServiceBodySchema = z
  .object({
    name: displayName,
    description: z.string().max(500),
    defaultBranch: z.string().min(1).max(255),
    repository: z.object({ owner: z.string().min(1).max(100), name: z.string().min(1).max(100) }).nullable(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'must change at least one field');

export const stageLockSchema = z
  .object({
    stageId: uuidSchema,
    lock: z.object({ by: z.string(), reason: z.string(), at: isoDateTime }).nullable(),
  })
  .meta({ id: 'StageLock' });
export type StageLock = z.infer<typeof stageLockSchema>;

// Only same-origin paths: an open redirect after sign-in would hand sessions to phishing pages.
const returnTo = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])/, 'must be a path on this site, starting with a single /');
export const ssoLoginQuerySchema = z.object({ returnTo: returnTo.optional() });
export const ssoCallbackQuerySchema = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(1).max(200),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  iss: z.string().max(500).optional(),
});
