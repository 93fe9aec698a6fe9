import { ERRORS, type ErrorCode, type ErrorCodeWithStatus } from '@hoctap/shared/api';

/**
 * Typed errors that services throw and the one error handler turns into
 * `{ statusCode, error, message, reqId, code }`. Every code comes from the shared registry
 * (`@hoctap/shared/api` ERRORS), so the mini app can switch on it; each helper accepts only the
 * codes registered with its status. Messages of 4xx errors reach the user, so they are
 * Vietnamese; without one the registry's default is used. 5xx messages never leave the server.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The error of a registered code, with the registry's status (and message unless given). */
export const fail = (code: ErrorCode, message?: string) => new AppError(ERRORS[code].status, code, message);

export const badRequest = (message?: string, code: ErrorCodeWithStatus<400> = 'BAD_REQUEST') =>
  new AppError(400, code, message);
export const unauthorized = (message?: string, code: ErrorCodeWithStatus<401> = 'UNAUTHORIZED') =>
  new AppError(401, code, message);
export const forbidden = (message?: string, code: ErrorCodeWithStatus<403> = 'FORBIDDEN') =>
  new AppError(403, code, message);
// Out-of-scope reads answer 404, not 403, so nobody can probe which ids exist elsewhere.
export const notFound = (message?: string, code: ErrorCodeWithStatus<404> = 'NOT_FOUND') =>
  new AppError(404, code, message);
export const conflict = (message?: string, code: ErrorCodeWithStatus<409> = 'CONFLICT') =>
  new AppError(409, code, message);
export const unprocessable = (message?: string, code: ErrorCodeWithStatus<422> = 'UNPROCESSABLE') =>
  new AppError(422, code, message);
export const payloadTooLarge = (message?: string, code: ErrorCodeWithStatus<413> = 'PAYLOAD_TOO_LARGE') =>
  new AppError(413, code, message);
export const unsupportedMediaType = (message?: string, code: ErrorCodeWithStatus<415> = 'UNSUPPORTED_MEDIA_TYPE') =>
  new AppError(415, code, message);
export const serviceUnavailable = (message?: string, code: ErrorCodeWithStatus<503> = 'SERVICE_UNAVAILABLE') =>
  new AppError(503, code, message);
