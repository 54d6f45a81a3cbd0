// What a log may say about an error: its name, code and first line. Never the stack, which can
// carry paths and values from deep inside a driver.
export function describeError(error: unknown): { name: string; message: string; code?: unknown } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message.split('\n')[0] ?? '',
      ...(code === undefined ? {} : { code }),
    };
  }
  return { name: typeof error, message: 'a non-error value was thrown' };
}
