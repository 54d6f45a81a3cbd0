import { Controller, Inject, Query, Req, Res } from '@nestjs/common';
import { endpoints, type QueryOf } from '@flightdeck/contracts';
import type { Request, Response } from 'express';
import type { RequestMeta } from '../../audit/audit.service.js';
import { Endpoint } from '../../common/endpoint.decorator.js';
import { ValidQuery } from '../../common/endpoint-input.decorator.js';
import type { Principal } from '../principal.js';
import { CurrentPrincipal, Meta } from '../request-meta.js';
import { OidcService } from './oidc.service.js';

const e = endpoints;

// The origin this request came in on, as the CSRF check reads it.
function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

// Redirects that carry sign-in results are never cached, and the next page is not told where we came from.
function redirect(res: Response, location: string): void {
  res.setHeader('cache-control', 'no-store');
  res.setHeader('referrer-policy', 'no-referrer');
  res.redirect(302, location);
}

@Controller()
export class OidcController {
  constructor(@Inject(OidcService) private readonly oidc: OidcService) {}

  @Endpoint(e.startSsoLogin)
  async start(
    @ValidQuery() query: QueryOf<typeof e.startSsoLogin>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    redirect(res, await this.oidc.startLogin(query.returnTo, requestOrigin(req), res));
  }

  // Parsed by the service against the same contract schema: a malformed callback still ends on the
  // login page with an error code, not on a JSON 400 in the browser.
  @Endpoint(e.finishSsoLogin)
  async finish(
    @Query() query: unknown,
    @Req() req: Request,
    @Res() res: Response,
    @Meta() meta: RequestMeta,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<void> {
    const cookies = req.cookies as Record<string, string | undefined> | undefined;
    const location = await this.oidc.finishLogin(
      query,
      {
        origin: requestOrigin(req),
        boundState: cookies?.[this.oidc.bindingCookie] ?? null,
        currentSessionId: principal?.sessionId ?? null,
        meta,
      },
      res,
    );
    redirect(res, location);
  }
}
