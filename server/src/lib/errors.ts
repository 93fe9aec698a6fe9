/**
 * Typed errors that services throw and the one error handler turns into
 * `{ statusCode, error, message, reqId }`. Messages of 4xx errors reach the user, so they are
 * Vietnamese; 5xx messages never leave the server.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, code = 'BAD_REQUEST') => new AppError(400, code, message);
export const unauthorized = (message = 'Bạn cần đăng nhập lại.', code = 'UNAUTHORIZED') =>
  new AppError(401, code, message);
export const forbidden = (message = 'Bạn không có quyền thực hiện thao tác này.', code = 'FORBIDDEN') =>
  new AppError(403, code, message);
// Out-of-scope reads answer 404, not 403, so nobody can probe which ids exist elsewhere.
export const notFound = (message = 'Không tìm thấy dữ liệu.', code = 'NOT_FOUND') => new AppError(404, code, message);
export const conflict = (message: string, code = 'CONFLICT') => new AppError(409, code, message);
export const unprocessable = (message: string, code = 'UNPROCESSABLE') => new AppError(422, code, message);
export const payloadTooLarge = (message: string, code = 'PAYLOAD_TOO_LARGE') => new AppError(413, code, message);
export const unsupportedMediaType = (message: string, code = 'UNSUPPORTED_MEDIA_TYPE') =>
  new AppError(415, code, message);
export const serviceUnavailable = (message: string, code = 'SERVICE_UNAVAILABLE') =>
  new AppError(503, code, message);
