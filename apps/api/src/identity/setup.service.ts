import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../database/prisma.service.js';
import { LOGGER } from '../logging/logger.js';
import { hashPassword } from './passwords.js';
import { safeEqual } from './sessions.service.js';

// Serialises first-user creation across replicas and concurrent setup requests.
export const FIRST_USER_LOCK = 4_611_686_018_427_387_301n;
export const SETUP_TOKEN_FILE = 'setup-token';

// First run: the first admin comes from configuration, or from the setup screen, which asks for a
// one-time token kept in the data directory (so only someone with access to the server can claim it).
@Injectable()
export class SetupService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get tokenPath(): string {
    return path.join(this.config.dataDir, SETUP_TOKEN_FILE);
  }

  async bootstrap(): Promise<void> {
    const admin = this.config.auth.firstAdmin;
    if (admin) {
      const created = await this.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK})`;
        if ((await tx.user.count()) > 0) return false;
        const user = await tx.user.create({
          data: {
            email: admin.email,
            name: 'Administrator',
            role: 'admin',
            passwordHash: await hashPassword(admin.password),
          },
        });
        await this.audit.record(tx, {
          actor: SYSTEM_ACTOR,
          action: 'user.create',
          outcome: 'success',
          target: { type: 'user', id: user.id },
          reason: 'first admin from FLIGHTDECK_ADMIN_EMAIL',
          after: { email: user.email, role: user.role },
        });
        return true;
      });
      if (created)
        this.logger.info({ email: admin.email }, 'first admin created from FLIGHTDECK_ADMIN_EMAIL');
      return;
    }
    if ((await this.prisma.user.count()) > 0) return;
    await this.ensureToken();
    this.logger.warn(
      { setupTokenFile: this.tokenPath },
      'no users yet: open /setup in the browser and enter the setup token from this file',
    );
  }

  async verifyToken(candidate: string): Promise<boolean> {
    const token = await readFile(this.tokenPath, 'utf8').catch(() => null);
    return token !== null && safeEqual(candidate.trim(), token.trim());
  }

  // One token per data directory: created once ('wx'), then reused, so replicas sharing it agree.
  private async ensureToken(): Promise<void> {
    await mkdir(this.config.dataDir, { recursive: true });
    try {
      await writeFile(this.tokenPath, `${randomBytes(24).toString('base64url')}\n`, {
        flag: 'wx',
        mode: 0o600,
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
}
