import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { consentPurposeSchema, errorBodySchema } from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import { binaryResponse } from '../../plugins/openapi.ts';
import type { Services } from '../../services.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

const iso = z.string().nullable();
const exportSchema = z.object({
  exportedAt: z.string(),
  account: z.object({
    id: z.uuid(),
    displayName: z.string(),
    phone: z.string().nullable(),
    linkedToZalo: z.boolean(),
    notificationsAllowed: z.boolean(),
    createdAt: iso,
    lastOpenedAt: iso,
  }),
  consents: z.array(
    z.object({
      purpose: consentPurposeSchema,
      action: z.enum(['grant', 'withdraw']),
      textVersion: z.string(),
      channel: z.string(),
      at: iso,
    }),
  ),
  household: z
    .object({
      id: z.uuid(),
      headName: z.string(),
      address: z.string(),
      phone: z.string().nullable(),
      memberCount: z.number(),
      members: z.array(
        z.object({
          fullName: z.string(),
          birthYear: z.number().nullable(),
          relation: z.string().nullable(),
          inSchool: z.boolean().nullable(),
        }),
      ),
    })
    .nullable(),
  person: z.object({ id: z.uuid(), fullName: z.string(), birthYear: z.number().nullable() }).nullable(),
  assessments: z.array(
    z.object({
      id: z.uuid(),
      campaign: z.object({ title: z.string(), year: z.number() }),
      subjectType: z.string(),
      subjectName: z.string(),
      state: z.string(),
      selfTotal: z.number().nullable(),
      verifiedTotal: z.number().nullable(),
      communeTotal: z.number().nullable(),
      submittedAt: iso,
      verifiedAt: iso,
      decidedAt: iso,
      certificateNo: z.string().nullable(),
      answers: z.array(
        z.object({
          layer: z.string(),
          indicatorCode: z.string(),
          points: z.number().nullable(),
          note: z.string().nullable(),
          reason: z.string().nullable(),
        }),
      ),
      comments: z.array(
        z.object({ indicatorCode: z.string().nullable(), body: z.string(), byMe: z.boolean(), at: iso }),
      ),
      photos: z.array(
        z.object({
          id: z.uuid(),
          indicatorCode: z.string(),
          file: z.string().nullable(),
          capturedAt: iso,
          uploadedAt: iso,
          hadLocation: z.boolean(),
        }),
      ),
    }),
  ),
  inbox: z.array(z.object({ kind: z.string(), title: z.string(), body: z.string(), at: iso, readAt: iso })),
});

const eraseResultSchema = z.object({
  erasedAt: z.string(),
  assessments: z.number(),
  withdrawn: z.number(),
  photos: z.number(),
  photoFilesDeleted: z.number(),
  householdErased: z.boolean(),
});

/**
 * The data subject's routes under /me: see and download everything held about oneself, and
 * withdraw + delete. Consents are read and changed through GET/POST /me/consents and
 * POST /me/consents/withdraw (identity).
 */
export function privacyRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    const { privacy } = services;
    app.addHook('onRequest', app.authenticate);

    app.get(
      '/me/data',
      {
        schema: {
          tags: ['me'],
          summary: 'Everything the app holds about me (JSON); photos are listed by file name',
          response: { 200: exportSchema, ...errors },
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'private, no-store');
        return (await privacy.exportData(actorOf(req))).data;
      },
    );

    app.get(
      '/me/data/export',
      {
        schema: {
          tags: ['me'],
          summary: 'Download my data: a ZIP with data.json and my photos (anh/<id>.jpg)',
          response: { 200: binaryResponse('ZIP archive: data.json and anh/<id>.jpg', 'application/zip'), ...errors },
        },
      },
      async (req, reply) => {
        const zip = await privacy.exportArchive(actorOf(req));
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', 'attachment; filename="du-lieu-cua-toi.zip"')
          .header('cache-control', 'private, no-store')
          .send(zip);
      },
    );

    app.post(
      '/me/erase',
      {
        config: { rateLimit: { max: 5, timeWindow: '1 minute', keyGenerator: (req) => req.actor?.userId ?? req.ip } },
        schema: {
          tags: ['me'],
          summary: 'Withdraw every consent and delete my personal data (irreversible; signs me out)',
          body: z.object({ confirm: z.literal(true) }).strict(),
          response: { 200: eraseResultSchema, ...errors, 429: errorBodySchema },
        },
      },
      async (req) => privacy.erase(actorOf(req)),
    );
  };
}
