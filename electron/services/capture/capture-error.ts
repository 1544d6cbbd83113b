// Capture failures as values a person can act on: a stable code, what happened, what to do (STYLE.md §6).
export type CaptureErrorCode =
  | 'ERR_CAPTURE_PERMISSION'
  | 'ERR_CAPTURE_NO_DEVICE'
  | 'ERR_CAPTURE_IFACE_DOWN'
  | 'ERR_CAPTURE_FILTER'
  | 'ERR_CAPTURE_OPEN'
  | 'ERR_CAPTURE_READ'
  | 'ERR_CAPTURE_CLOSED'
  | 'ERR_CAPTURE_ARGS'
  | 'ERR_CAPTURE_HELPER_DIED'
  | 'ERR_CAPTURE_HELPER_START'
  | 'ERR_CAPTURE_SPOOL'
  | 'ERR_CAPTURE_SAVE'
  | 'ERR_NATIVE_NOT_BUILT'
  | (string & {});

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }

  toJSON(): { code: string; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }

  /** Wraps anything thrown by the addon, the helper or the file system, keeping code and hint. */
  static from(err: unknown, fallbackCode: CaptureErrorCode, fallbackHint: string): CaptureError {
    if (err instanceof CaptureError) return err;
    const e = err as { code?: unknown; message?: unknown; hint?: unknown };
    const code = typeof e?.code === 'string' ? e.code : fallbackCode;
    const message = typeof e?.message === 'string' ? e.message : String(err);
    const hint = typeof e?.hint === 'string' ? e.hint : fallbackHint;
    return new CaptureError(code, message, hint);
  }
}
