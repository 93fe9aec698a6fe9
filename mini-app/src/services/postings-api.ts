// Posting (niêm yết) and objection endpoints, kept beside api.ts so the screens of
// docs/transparency.md §2 add one line there. Types come from the shared contract (type-only).
import type {
  myObjectionSchema,
  objectionCreateSchema,
  ObjectionDto,
  PostingDetailDto,
  PostingDto,
  postingCreateSchema,
} from '@hoctap/shared/api';
import type { ApiClient } from './api.ts';

type Out<T extends { _zod: { output: unknown } }> = T['_zod']['output'];
type In<T extends { _zod: { input: unknown } }> = T['_zod']['input'];

export type Posting = PostingDto;
export type PostingDetail = PostingDetailDto;
export type Objection = ObjectionDto;
export type MyObjection = Out<typeof myObjectionSchema>;
export type ObjectionBody = In<typeof objectionCreateSchema>;
export type PostingCreateBody = In<typeof postingCreateSchema>;

const enc = encodeURIComponent;

export function postingEndpoints(r: ApiClient['request']) {
  return {
    list: async (campaignId?: string) =>
      (await r<{ items: Posting[] }>('/api/v1/postings', { query: { campaignId } })).items,
    detail: (id: string) => r<PostingDetail>(`/api/v1/postings/${enc(id)}`),
    open: (body: PostingCreateBody) => r<Posting>('/api/v1/postings', { method: 'POST', json: body }),
    close: (id: string) => r<Posting>(`/api/v1/postings/${enc(id)}/close`, { method: 'POST', idempotent: true }),
    object: (id: string, body: ObjectionBody) =>
      r<MyObjection>(`/api/v1/postings/${enc(id)}/objections`, { method: 'POST', json: body }),
    queue: async (campaignId: string, status?: Objection['status']) =>
      (await r<{ items: Objection[] }>('/api/v1/objections', { query: { campaignId, status } })).items,
    resolve: (id: string, body: { outcome: 'kept' | 'removed'; reason: string }) =>
      r<Objection>(`/api/v1/objections/${enc(id)}/resolve`, { method: 'POST', json: body }),
  };
}
