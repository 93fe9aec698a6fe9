import { z } from 'zod';

/** The one error body every failing request gets. */
export const errorBodySchema = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    reqId: z.string(),
    code: z.string().optional(),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const uuidSchema = z.uuid();

/** Opaque cursor pagination: lists return `nextCursor` (null at the end). */
export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
