// Failures cross every process boundary as values, never as stack traces (STYLE.md §3, §6):
// a stable code a test or the UI can branch on, a sentence saying what happened, and a hint saying
// what to do about it.

export interface ApiError {
  code: string;
  message: string;
  hint: string;
}

export function apiError(code: string, message: string, hint: string): ApiError {
  return { code, message, hint };
}

/** An Error carrying an ApiError, for service code that prefers to throw. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiFailure';
  }
}

export function isApiError(v: unknown): v is ApiError {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.message === 'string' && typeof o.hint === 'string';
}

/**
 * Turns anything a service threw or returned into an ApiError. Services throw errors that already
 * carry {code, message, hint} (the lab server's, the capture supervisor's, CaptureFileError); anything
 * else is a bug in netlab and says so, without the stack.
 */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiFailure) return e.error;
  if (isApiError(e)) return { code: e.code, message: e.message, hint: e.hint };
  if (typeof e === 'object' && e !== null) {
    const o = e as Record<string, unknown>;
    const inner = o.error;
    if (isApiError(inner)) return toApiError(inner);
    if (typeof o.code === 'string' && typeof o.message === 'string') {
      return { code: o.code, message: o.message, hint: typeof o.hint === 'string' ? o.hint : 'See the log for details.' };
    }
  }
  const msg = e instanceof Error ? e.message : String(e);
  return apiError('ERR_INTERNAL', `Internal error: ${msg}`, 'This is a bug in NetLab Workbench; please report it with the steps that led here.');
}
