import { Inject, Injectable } from '@nestjs/common';
import { TooManyRequestsError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';

// Failed attempts allowed within the window, per account and per client address. Counted in Postgres so
// every replica sees the same numbers.
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 30;

@Injectable()
export class LoginThrottle {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async assertAllowed(email: string, ip: string): Promise<void> {
    const since = new Date(Date.now() - LOGIN_WINDOW_MS);
    const [byAccount, byIp] = await Promise.all([
      this.failures({ email, createdAt: { gte: since } }),
      this.failures({ ip, createdAt: { gte: since } }),
    ]);
    const blocked =
      byAccount.length >= MAX_FAILURES_PER_ACCOUNT
        ? byAccount[MAX_FAILURES_PER_ACCOUNT - 1]
        : byIp.length >= MAX_FAILURES_PER_IP
          ? byIp[MAX_FAILURES_PER_IP - 1]
          : undefined;
    if (!blocked) return;
    // Free again when the oldest counted failure leaves the window.
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((blocked.getTime() + LOGIN_WINDOW_MS - Date.now()) / 1000),
    );
    throw new TooManyRequestsError(
      'LOGIN_THROTTLED',
      `Too many failed sign-ins; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`,
      retryAfterSeconds,
    );
  }

  async recordAttempt(email: string, ip: string, succeeded: boolean, tx: Tx = this.prisma): Promise<void> {
    await tx.loginAttempt.create({ data: { email, ip, succeeded } });
    // A success clears the account's slate, so a person who finally remembers is not locked out later.
    if (succeeded) await tx.loginAttempt.deleteMany({ where: { email, succeeded: false } });
  }

  // Newest first, capped: only the Nth newest matters.
  private async failures(where: { email?: string; ip?: string; createdAt: { gte: Date } }): Promise<Date[]> {
    const rows = await this.prisma.loginAttempt.findMany({
      where: { ...where, succeeded: false },
      orderBy: { createdAt: 'desc' },
      take: MAX_FAILURES_PER_IP,
      select: { createdAt: true },
    });
    return rows.map((row) => row.createdAt);
  }
}
