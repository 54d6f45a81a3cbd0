import { Inject, Injectable } from '@nestjs/common';
import { TooManyRequestsError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';

// Failed attempts allowed within the window. Counted in Postgres so every replica sees the same numbers.
// The tight limit is per account *and* address, so a stranger guessing from elsewhere cannot lock the
// owner out; a looser one per address stops spraying many accounts; a high one per account slows a
// guess spread over many addresses.
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT_AND_IP = 5;
export const MAX_FAILURES_PER_IP = 30;
export const MAX_FAILURES_PER_ACCOUNT = 100;

@Injectable()
export class LoginThrottle {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async assertAllowed(email: string, ip: string): Promise<void> {
    const since = new Date(Date.now() - LOGIN_WINDOW_MS);
    const [pair, byIp, byAccount] = await Promise.all([
      this.failures({ email, ip, createdAt: { gte: since } }, MAX_FAILURES_PER_ACCOUNT_AND_IP),
      this.failures({ ip, createdAt: { gte: since } }, MAX_FAILURES_PER_IP),
      this.failures({ email, createdAt: { gte: since } }, MAX_FAILURES_PER_ACCOUNT),
    ]);
    const blocked = pair ?? byIp ?? byAccount;
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
    // A success clears that account's slate from that address, so a person who finally remembers is not
    // locked out later.
    if (succeeded) await tx.loginAttempt.deleteMany({ where: { email, ip, succeeded: false } });
  }

  // The time of the limit-th newest failure (when the block lifts, counting from it), or undefined
  // while under the limit.
  private async failures(
    where: { email?: string; ip?: string; createdAt: { gte: Date } },
    limit: number,
  ): Promise<Date | undefined> {
    const row = await this.prisma.loginAttempt.findFirst({
      where: { ...where, succeeded: false },
      orderBy: { createdAt: 'desc' },
      skip: limit - 1,
      select: { createdAt: true },
    });
    return row?.createdAt;
  }
}
