import { readFileSync } from 'node:fs';
import path from 'node:path';

// The api package's version; the file sits two levels up from both src/instance and dist/instance.
export const APP_VERSION: string = (
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
    version: string;
  }
).version;
