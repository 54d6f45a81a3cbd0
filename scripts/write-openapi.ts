// Writes the OpenAPI document built from the contract, so API changes show up in review.
// A test fails when the committed file and the contract disagree.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createOpenApiDocument } from '../apps/api/src/openapi/openapi-document.js';

const target = path.resolve(import.meta.dirname, '../packages/contracts/openapi.json');
writeFileSync(target, `${JSON.stringify(createOpenApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
