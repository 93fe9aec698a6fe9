import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  answerParamsSchema,
  answerPutResultSchema,
  answerPutSchema,
  appealBodySchema,
  appealResolveSchema,
  assessmentCreateSchema,
  assessmentDetailSchema,
  assessmentListQuerySchema,
  assessmentListSchema,
  assessmentSummarySchema,
  assessmentWithVerdictSchema,
  carryOverBodySchema,
  carryOverResultSchema,
  carryOverSchema,
  commentCreateSchema,
  commentListSchema,
  commentSchema,
  decisionCreateSchema,
  decisionListSchema,
  decisionResultSchema,
  errorBodySchema,
  idParamsSchema,
  returnBodySchema,
  reviewBodySchema,
  reviewResultSchema,
  timelineSchema,
  verifyBodySchema,
  withdrawBodySchema,
} from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';
import { ACT_FOR_HEADER } from './access.ts';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  422: errorBodySchema,
};
/** Assisted mode: a tổ leader acts for a household of their tổ (audited with onBehalfOf). */
const assisted = z.object({ [ACT_FOR_HEADER]: z.uuid().optional() });
const submitHeaders = assisted.extend({ 'idempotency-key': z.string().min(8).max(200).optional() });
const tags = ['workflow'];

export function assessmentRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const svc = services.assessments;
    const actFor = (h: Record<string, unknown>) =>
      typeof h[ACT_FOR_HEADER] === 'string' ? (h[ACT_FOR_HEADER] as string) : null;

    app.get(
      '/assessments',
      {
        schema: {
          tags,
          summary: 'Assessments in my scope (the leader queue); oldest submission first',
          querystring: assessmentListQuerySchema,
          response: { 200: assessmentListSchema, ...errors },
        },
      },
      async (req) => svc.list(actorOf(req), req.query),
    );
    app.post(
      '/assessments',
      {
        schema: {
          tags,
          summary: 'Register a subject for a campaign (client uuid; idempotent)',
          headers: assisted,
          body: assessmentCreateSchema,
          response: { 200: assessmentSummarySchema, 201: assessmentSummarySchema, ...errors },
        },
      },
      async (req, reply) => {
        const r = await svc.create(actorOf(req), req.body, actFor(req.headers));
        return reply.status(r.created ? 201 : 200).send(r.assessment);
      },
    );
    app.post(
      '/assessments/review',
      {
        schema: {
          tags,
          summary: 'Hamlet review: verified → reviewed for a hamlet (hamlet head, officer)',
          body: reviewBodySchema,
          response: { 200: reviewResultSchema, ...errors },
        },
      },
      async (req) => svc.review(actorOf(req), req.body),
    );
    app.get(
      '/assessments/:id',
      {
        schema: {
          tags,
          summary: 'One assessment with its layers, verdict, evidence and comments',
          headers: assisted,
          params: idParamsSchema,
          response: { 200: assessmentDetailSchema, ...errors },
        },
      },
      async (req) => svc.get(actorOf(req), req.params.id, actFor(req.headers)),
    );
    app.put(
      '/assessments/:id/answers/:indicatorCode',
      {
        schema: {
          tags,
          summary: 'Save one self-assessed answer (draft/returned; idempotent)',
          headers: assisted,
          params: answerParamsSchema,
          body: answerPutSchema,
          response: { 200: answerPutResultSchema, ...errors },
        },
      },
      async (req) =>
        svc.saveAnswer(actorOf(req), req.params.id, req.params.indicatorCode, req.body, actFor(req.headers)),
    );
    app.get(
      '/assessments/:id/carry-over',
      {
        schema: {
          tags,
          summary: "What last year's assessment of the same subject can give this draft (answers, photos)",
          headers: assisted,
          params: idParamsSchema,
          response: { 200: carryOverSchema, ...errors },
        },
      },
      async (req) => svc.carryOver(actorOf(req), req.params.id, actFor(req.headers)),
    );
    app.post(
      '/assessments/:id/carry-over',
      {
        schema: {
          tags,
          summary: 'Copy the confirmed indicators of last year into the draft (idempotent)',
          headers: assisted,
          params: idParamsSchema,
          body: carryOverBodySchema,
          response: { 200: carryOverResultSchema, ...errors },
        },
      },
      async (req) => svc.applyCarryOver(actorOf(req), req.params.id, req.body, actFor(req.headers)),
    );
    app.post(
      '/assessments/:id/submit',
      {
        schema: {
          tags,
          summary: 'Submit; Idempotency-Key header required',
          headers: submitHeaders,
          params: idParamsSchema,
          response: { 200: assessmentWithVerdictSchema, ...errors },
        },
      },
      async (req) => svc.submit(actorOf(req), req.params.id, req.headers['idempotency-key'], actFor(req.headers)),
    );
    app.post(
      '/assessments/:id/verify',
      {
        schema: {
          tags,
          summary: 'Verify with per-indicator points (reason required when they differ)',
          params: idParamsSchema,
          body: verifyBodySchema,
          response: { 200: assessmentWithVerdictSchema, ...errors },
        },
      },
      async (req) => svc.verify(actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/assessments/:id/return',
      {
        schema: {
          tags,
          summary: 'Return for fixing, with a comment per indicator',
          params: idParamsSchema,
          body: returnBodySchema,
          response: { 200: assessmentSummarySchema, ...errors },
        },
      },
      async (req) => svc.returnForFix(actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/assessments/:id/withdraw',
      {
        schema: {
          tags,
          summary: 'Withdraw (owner) before verification',
          headers: assisted,
          params: idParamsSchema,
          body: withdrawBodySchema.optional(),
          response: { 200: assessmentSummarySchema, ...errors },
        },
      },
      async (req) => svc.withdraw(actorOf(req), req.params.id, req.body ?? {}, actFor(req.headers)),
    );
    app.post(
      '/assessments/:id/appeal',
      {
        schema: {
          tags,
          summary: 'Appeal the verified result (owner), until the decision',
          headers: assisted,
          params: idParamsSchema,
          body: appealBodySchema,
          response: { 200: assessmentSummarySchema, ...errors },
        },
      },
      async (req) => svc.appeal(actorOf(req), req.params.id, req.body.reason, actFor(req.headers)),
    );
    app.post(
      '/assessments/:id/appeal/resolve',
      {
        schema: {
          tags,
          summary: 'Resolve an appeal (officer): accepted → commune re-score, back to verified',
          params: idParamsSchema,
          body: appealResolveSchema,
          response: { 200: assessmentSummarySchema, ...errors },
        },
      },
      async (req) => svc.resolveAppeal(actorOf(req), req.params.id, req.body),
    );
    app.get(
      '/assessments/:id/comments',
      {
        schema: {
          tags,
          summary: 'Comments',
          headers: assisted,
          params: idParamsSchema,
          response: { 200: commentListSchema, ...errors },
        },
      },
      async (req) => svc.comments(actorOf(req), req.params.id, actFor(req.headers)),
    );
    app.post(
      '/assessments/:id/comments',
      {
        schema: {
          tags,
          summary: 'Add a comment (owner, verifiers)',
          headers: assisted,
          params: idParamsSchema,
          body: commentCreateSchema,
          response: { 201: commentSchema, ...errors },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await svc.addComment(actorOf(req), req.params.id, req.body, actFor(req.headers))),
    );
    app.get(
      '/assessments/:id/timeline',
      {
        schema: {
          tags,
          summary: 'Audit timeline with Vietnamese labels',
          headers: assisted,
          params: idParamsSchema,
          response: { 200: timelineSchema, ...errors },
        },
      },
      async (req) => svc.timeline(actorOf(req), req.params.id, actFor(req.headers)),
    );
    app.get(
      '/campaigns/:id/decisions',
      {
        schema: {
          tags,
          summary: 'Recognition decisions of a campaign',
          params: idParamsSchema,
          response: { 200: decisionListSchema, ...errors },
        },
      },
      async (req) => svc.listDecisions(actorOf(req), req.params.id),
    );
    app.post(
      '/campaigns/:id/decisions',
      {
        schema: {
          tags,
          summary: 'Recognise a list by decision (officer); households before clans and hamlets',
          params: idParamsSchema,
          body: decisionCreateSchema,
          response: { 201: decisionResultSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.decide(actorOf(req), req.params.id, req.body)),
    );
  };
}
