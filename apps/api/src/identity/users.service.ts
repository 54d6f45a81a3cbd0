import { Inject, Injectable } from '@nestjs/common';
import type { Me, Role, User } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../common/errors.js';
import { decodeCursor, pageResult } from '../common/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { actorOf, type Principal } from './principal.js';
import { SessionsService } from './sessions.service.js';
import { mapMe, mapUser } from './users.mappers.js';
import { UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async me(principal: Principal): Promise<Me> {
    const row = await this.users.findById(principal.user.id);
    if (!row) throw new UnauthenticatedError('UNAUTHENTICATED', 'Your account no longer exists');
    return mapMe(row, principal);
  }

  async list(query: { limit: number; cursor?: string; q?: string }) {
    const rows = await this.users.list({
      q: query.q,
      cursor: decodeCursor(query.cursor),
      take: query.limit + 1,
    });
    return pageResult(rows, query.limit, mapUser);
  }

  async create(
    principal: Principal,
    input: { email: string; name: string; role: Role; password?: string },
    meta: RequestMeta,
  ): Promise<User> {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    try {
      return await this.prisma.$transaction(async (tx) => {
        const user = await this.users.create(
          { email: input.email, name: input.name, role: input.role, passwordHash },
          tx,
        );
        await this.audit.record(tx, {
          actor: actorOf(principal),
          action: 'user.create',
          outcome: 'success',
          target: { type: 'user', id: user.id },
          request: meta,
          after: mapUser(user),
        });
        return mapUser(user);
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ConflictError('USER_EXISTS', `A user with e-mail ${input.email} already exists`);
      }
      throw error;
    }
  }

  async update(
    principal: Principal,
    id: string,
    input: { name?: string; role?: Role; disabled?: boolean },
    meta: RequestMeta,
  ): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      // Lock the admins so two concurrent demotions cannot leave nobody in charge.
      await tx.$queryRaw`SELECT id FROM users WHERE role = 'admin' FOR UPDATE`;
      const before = await this.users.findById(id, tx);
      if (!before) throw new NotFoundError('USER_NOT_FOUND', `No user with id "${id}"`);
      if (id === principal.user.id && input.disabled) {
        throw new ConflictError('CANNOT_DISABLE_SELF', 'You cannot disable your own account');
      }
      const losesAdmin =
        before.role === 'admin' &&
        !before.disabledAt &&
        ((input.role && input.role !== 'admin') || input.disabled);
      if (losesAdmin && (await this.users.countActiveAdmins(tx)) <= 1) {
        throw new ConflictError('LAST_ADMIN', 'This is the last active admin; make someone else admin first');
      }
      const after = await this.users.update(
        id,
        {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.role !== undefined ? { role: input.role } : {}),
          ...(input.disabled !== undefined
            ? { disabledAt: input.disabled ? (before.disabledAt ?? new Date()) : null }
            : {}),
        },
        tx,
      );
      // Disabling signs the user out everywhere at once.
      const revoked = input.disabled && !before.disabledAt ? await this.sessions.revokeAllFor(id, tx) : 0;
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: input.disabled === true && !before.disabledAt ? 'user.disable' : 'user.update',
        outcome: 'success',
        target: { type: 'user', id },
        reason: revoked ? `${revoked} session(s) revoked` : null,
        request: meta,
        before: mapUser(before),
        after: mapUser(after),
      });
      return mapUser(after);
    });
  }

  async changePassword(
    principal: Principal,
    input: { currentPassword: string; newPassword: string },
    meta: RequestMeta,
  ): Promise<Me> {
    if (principal.via !== 'session') {
      throw new ForbiddenError(
        'SESSION_REQUIRED',
        'Change your password while signed in, not with an API token',
      );
    }
    const row = await this.users.findById(principal.user.id);
    if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
      throw new ForbiddenError('WRONG_PASSWORD', 'The current password is not right');
    }
    const passwordHash = await hashPassword(input.newPassword);
    const updated = await this.prisma.$transaction(async (tx) => {
      const user = await this.users.update(principal.user.id, { passwordHash }, tx);
      const revoked = await this.sessions.revokeAllFor(
        principal.user.id,
        tx,
        principal.sessionId ?? undefined,
      );
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'user.password.change',
        outcome: 'success',
        target: { type: 'user', id: principal.user.id },
        reason: revoked ? `${revoked} other session(s) signed out` : null,
        request: meta,
      });
      return user;
    });
    return mapMe(updated, principal);
  }
}
