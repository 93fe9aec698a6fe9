/**
 * Typed failures of the photo evidence pipeline.
 *
 * Every failure a household can cause (wrong format, too big, broken file) or that the server
 * sheds on purpose (busy) is an `EvidenceError` carrying a stable `code`, the HTTP status the
 * route should answer with, and a Vietnamese message that tells the person what to do next.
 * The route's error handler can send `message` as-is: it never contains internal details
 * (library error text is kept in `cause`, for logs only).
 */

export type EvidenceErrorCode =
  /** HEIC/HEIF (iPhone default): the prebuilt libvips cannot decode it. */
  | 'UNSUPPORTED_HEIC'
  /** Anything whose magic bytes are not JPEG, PNG or WebP (text, PDF, SVG, GIF, …). */
  | 'UNSUPPORTED_TYPE'
  /** Zero-byte upload. */
  | 'EMPTY_FILE'
  /** More bytes than the upload limit (multipart `truncated`, or our own byte count). */
  | 'TOO_LARGE'
  /** Header claims more pixels than `limitInputPixels` (decompression bomb / pixel flood). */
  | 'PIXEL_LIMIT'
  /** Decoder failed: truncated, corrupt, or the header lies about the format. */
  | 'CORRUPT_IMAGE'
  /** The upload stream failed midway (client went away, network dropped). */
  | 'UPLOAD_INCOMPLETE'
  /** The processing backlog is full; the client should retry later. */
  | 'BUSY'
  /** The disk holding uploads is nearly full; the client should retry later. */
  | 'STORAGE_FULL'
  /** Processing gave up after several tries (a file that keeps crashing the decoder). */
  | 'PROCESSING_FAILED';

export const EVIDENCE_STATUS: Readonly<Record<EvidenceErrorCode, number>> = {
  UNSUPPORTED_HEIC: 415,
  UNSUPPORTED_TYPE: 415,
  EMPTY_FILE: 400,
  TOO_LARGE: 413,
  // 422 rather than 413: the byte size was acceptable, the content cannot be processed.
  PIXEL_LIMIT: 422,
  CORRUPT_IMAGE: 422,
  UPLOAD_INCOMPLETE: 400,
  BUSY: 503,
  STORAGE_FULL: 503,
  PROCESSING_FAILED: 422,
};

export class EvidenceError extends Error {
  override readonly name = 'EvidenceError';
  readonly code: EvidenceErrorCode;
  readonly statusCode: number;
  /** Only for BUSY and STORAGE_FULL: seconds the route should put in `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: EvidenceErrorCode, message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = EVIDENCE_STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isEvidenceError(err: unknown, code?: EvidenceErrorCode): err is EvidenceError {
  return err instanceof EvidenceError && (code === undefined || err.code === code);
}

const MiB = 1024 * 1024;

/** Factories keep the user-facing wording in one place (and out of the modules' logic). */
export const evidenceErrors = {
  unsupportedHeic: () =>
    new EvidenceError(
      'UNSUPPORTED_HEIC',
      'Ảnh định dạng HEIC chưa được hỗ trợ. Vui lòng chụp lại bằng camera trong Zalo hoặc chọn ảnh JPEG/PNG.',
    ),
  unsupportedType: () =>
    new EvidenceError(
      'UNSUPPORTED_TYPE',
      'Tệp này không phải ảnh JPEG, PNG hoặc WebP. Vui lòng chọn ảnh chụp từ điện thoại.',
    ),
  emptyFile: () => new EvidenceError('EMPTY_FILE', 'Tệp ảnh trống. Vui lòng chọn lại ảnh.'),
  tooLarge: (maxBytes: number) =>
    new EvidenceError(
      'TOO_LARGE',
      `Ảnh quá lớn (tối đa ${formatMegabytes(maxBytes)} MB). Vui lòng chọn ảnh nhỏ hơn hoặc chụp lại bằng camera trong Zalo.`,
    ),
  pixelLimit: (cause?: unknown) =>
    new EvidenceError('PIXEL_LIMIT', 'Ảnh có kích thước điểm ảnh quá lớn. Vui lòng chụp lại hoặc chọn ảnh khác.', {
      cause,
    }),
  corrupt: (cause?: unknown) =>
    new EvidenceError('CORRUPT_IMAGE', 'Ảnh bị lỗi hoặc tải lên chưa hết, vui lòng thử lại.', {
      cause,
    }),
  uploadIncomplete: (cause?: unknown) =>
    new EvidenceError('UPLOAD_INCOMPLETE', 'Tải ảnh lên bị gián đoạn. Vui lòng kiểm tra kết nối mạng và thử lại.', {
      cause,
    }),
  busy: (retryAfterSeconds = 10) =>
    new EvidenceError('BUSY', 'Hệ thống đang xử lý nhiều ảnh. Vui lòng đợi ít phút rồi gửi lại.', {
      retryAfterSeconds,
    }),
  storageFull: (retryAfterSeconds = 60) =>
    new EvidenceError('STORAGE_FULL', 'Máy chủ tạm thời hết chỗ lưu ảnh. Vui lòng gửi lại sau ít phút.', {
      retryAfterSeconds,
    }),
  processingFailed: () =>
    new EvidenceError(
      'PROCESSING_FAILED',
      'Không xử lý được ảnh này sau nhiều lần thử. Vui lòng chụp lại hoặc chọn ảnh khác rồi gửi lại.',
    ),
  originalMissing: () => new EvidenceError('PROCESSING_FAILED', 'Không tìm thấy ảnh đã tải lên. Vui lòng gửi lại ảnh.'),
} as const;

function formatMegabytes(bytes: number): string {
  const mb = bytes / MiB;
  // "8" for 8 MiB, "7,5" for fractional limits (Vietnamese decimal comma).
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1).replace('.', ',');
}
