import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  alertListSchema,
  alertQuerySchema,
  errorBodySchema,
  inboxPageSchema,
  inboxQuerySchema,
  inboxReadSchema,
  messageLogPageSchema,
  messageLogQuerySchema,
  shareSummarySchema,
  zaloGroupListSchema,
  zaloGroupPutSchema,
  zaloGroupQuerySchema,
  zaloGroupSchema,
} from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import type { NotificationService } from './notifications.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const idParam = z.strictObject({ id: z.uuid() });
const unitParam = z.strictObject({ unitId: z.uuid() });

export function notificationRoutes(svc: NotificationService): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);

    app.get(
      '/inbox',
      {
        schema: {
          tags: ['notifications'],
          summary: 'My messages (newest first, cursor pages)',
          querystring: inboxQuerySchema,
          response: { 200: inboxPageSchema, ...errors },
        },
      },
      async (req) => svc.inbox(actorOf(req), req.query),
    );

    app.post(
      '/inbox/:id/read',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark one of my messages read',
          params: idParam,
          response: { 200: inboxReadSchema, ...errors },
        },
      },
      async (req) => svc.markRead(actorOf(req), req.params.id),
    );

    app.get(
      '/messages',
      {
        schema: {
          tags: ['notifications'],
          summary: "Officers: the commune's log of messages sent (or, without Zalo, that would have been sent)",
          querystring: messageLogQuerySchema,
          response: { 200: messageLogPageSchema, ...errors },
        },
      },
      async (req) => svc.messages(actorOf(req), req.query),
    );

    app.get(
      '/messages/alerts',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Officers: Zalo problems that need a person (token, OA permissions, expired groups, billing)',
          querystring: alertQuerySchema,
          response: { 200: alertListSchema, ...errors },
        },
      },
      async (req) => svc.alerts(actorOf(req), req.query),
    );

    app.get(
      '/share-summaries/:unitId',
      {
        schema: {
          tags: ['notifications'],
          summary: "Text + deep link for Zalo's share sheet (leaders and officers of the hamlet/commune)",
          params: unitParam,
          response: { 200: shareSummarySchema, ...errors },
        },
      },
      async (req) => svc.shareSummary(actorOf(req), req.params.unitId),
    );

    app.get(
      '/zalo-groups',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Officers: OA group chats mapped to the commune and its hamlets',
          querystring: zaloGroupQuerySchema,
          response: { 200: zaloGroupListSchema, ...errors },
        },
      },
      async (req) => svc.zaloGroups(actorOf(req), req.query.communeId),
    );

    app.put(
      '/zalo-groups/:unitId',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Officers: map a hamlet or the commune to its OA group chat (GMF group_id)',
          params: unitParam,
          body: zaloGroupPutSchema,
          response: { 200: zaloGroupSchema, ...errors },
        },
      },
      async (req) => svc.putZaloGroup(actorOf(req), req.params.unitId, req.body),
    );
  };
}
