import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

const SERVER_PREFIXES = ['/api/', '/health/', '/metrics'];

// Serves the built web app from the API's port: files as they are, and index.html for client routes.
// Paths the server owns never fall through to the SPA, so an unknown API route stays a JSON 404.
export function spaMiddleware(webDist: string) {
  const index = path.join(webDist, 'index.html');
  if (!existsSync(index)) return null;
  const assets = express.static(webDist, {
    index: false,
    setHeaders: (res, file) => {
      // Vite fingerprints assets, so they can be cached for good; index.html must always be fresh.
      if (file.includes(`${path.sep}assets${path.sep}`))
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      SERVER_PREFIXES.some((p) => req.path.startsWith(p)) ||
      req.path === '/api'
    ) {
      next();
      return;
    }
    assets(req, res, () => {
      if (path.extname(req.path) !== '') {
        next();
        return;
      }
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(index);
    });
  };
}
