import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ValidationError } from './errors.js';

type Location = 'query' | 'params' | 'body';

const CODE_BY_LOCATION: Record<Location, string> = {
  query: 'INVALID_QUERY',
  params: 'INVALID_PATH_PARAMETER',
  body: 'INVALID_BODY',
};

// Validates one part of a request against its contract schema and names each offending field.
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(
    private readonly schema: T,
    private readonly location: Location,
  ) {}

  transform(value: unknown): z.output<T> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const issues = result.error.issues.map((issue) => ({
      // Query and path parameters are named by their top-level key (`status`, not `status.0`).
      field:
        (this.location === 'body' ? issue.path.map(String).join('.') : String(issue.path[0] ?? '')) ||
        this.location,
      message: issue.message,
    }));
    const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    throw new ValidationError(
      CODE_BY_LOCATION[this.location],
      `Invalid ${this.location} parameter — ${summary}`,
      {
        issues,
      },
    );
  }
}
