// The lab server's failures as values (STYLE.md §6): a stable code, what happened, what to do.
// Structurally an ApiError (electron/api/errors.ts), so the API carriers pass them on unchanged.

export interface LabError {
  code: string;
  message: string;
  hint: string;
}

/** Thrown by LabServer and SiteService; `.code/.message/.hint` are the value the UI shows. */
export class LabServerError extends Error implements LabError {
  constructor(readonly code: string, message: string, readonly hint: string) {
    super(message);
    this.name = 'LabServerError';
  }

  toJSON(): LabError {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export function labError(e: LabError): LabServerError {
  return new LabServerError(e.code, e.message, e.hint);
}
