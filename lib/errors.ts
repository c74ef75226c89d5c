/**
 * @file App error codes -> HTTP status and a message that is safe to show.
 * Details (SQL, native errors) are logged on the server, never sent.
 */
export type AppErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_image'
  | 'unavailable'
  | 'internal';

export const APP_ERRORS: Record<AppErrorCode, { status: number; message: string }> = {
  bad_request: { status: 400, message: 'The request is not valid.' },
  unauthorized: { status: 401, message: 'Please sign in first.' },
  forbidden: { status: 403, message: 'You are not allowed to do that.' },
  not_found: { status: 404, message: 'Not found.' },
  conflict: { status: 409, message: 'That already exists.' },
  payload_too_large: { status: 413, message: 'The file is too large.' },
  unsupported_image: { status: 422, message: 'The file is not an image PetLens can read.' },
  unavailable: { status: 503, message: 'The service is busy or starting; please try again.' },
  internal: { status: 500, message: 'Something went wrong on our side.' },
};

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message?: string,
  ) {
    super(message ?? APP_ERRORS[code].message);
  }

  get status(): number {
    return APP_ERRORS[this.code].status;
  }
}

/** A route handler's JSON error: `{"error": {"code", "message"}}` with the code's status. */
export function appErrorResponse(code: AppErrorCode): Response {
  return Response.json({ error: { code, message: APP_ERRORS[code].message } }, { status: APP_ERRORS[code].status });
}

/** Logs an unexpected error with context, server-side only. */
export function logServerError(context: string, error: unknown): void {
  console.error(`[petlens] ${context}:`, error);
}
