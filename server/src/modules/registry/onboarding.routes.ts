import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  adminUnitCreateSchema,
  adminUnitMergeResultSchema,
  adminUnitMergeSchema,
  adminUnitPatchSchema,
  adminUnitSchema,
  clanPatchSchema,
  clanSchema,
  errorBodySchema,
  householdLinkResultSchema,
  idParamsSchema,
  inviteIssuedSchema,
  orgUnitPatchSchema,
  orgUnitSchema,
  personPatchSchema,
  personSchema,
  userListQuerySchema,
  userListSchema,
} from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

/**
 * Onboarding a province (issue 17): writing the administrative tree, editing clans, units and
 * persons, and linking a user to a person. Scope is enforced by the registry service.
 */
export function onboardingRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const reg = services.registry;

    app.post(
      '/admin-units',
      {
        schema: {
          tags: ['registry'],
          summary: 'Add a province or commune (admin), or an ấp/tổ (officer of the commune)',
          body: adminUnitCreateSchema,
          response: { 201: adminUnitSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await reg.createAdminUnit(actorOf(req), req.body)),
    );
    app.patch(
      '/admin-units/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'Rename (or re-code) a unit in place: its id and past campaigns stay (audited)',
          params: idParamsSchema,
          body: adminUnitPatchSchema,
          response: { 200: adminUnitSchema, ...errors },
        },
      },
      async (req) => reg.updateAdminUnit(actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/admin-units/:id/merge',
      {
        schema: {
          tags: ['registry'],
          summary:
            'Merge communes (or provinces) into this one from a date: sources end, their ấp, registry and history move here (admin)',
          params: idParamsSchema,
          body: adminUnitMergeSchema,
          response: { 200: adminUnitMergeResultSchema, ...errors },
        },
      },
      async (req) => reg.mergeAdminUnits(actorOf(req), req.params.id, req.body),
    );

    app.patch(
      '/clans/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'Edit a clan (commune officer); send the version you read to detect concurrent edits',
          params: idParamsSchema,
          body: clanPatchSchema,
          response: { 200: clanSchema, ...errors },
        },
      },
      async (req) => reg.updateClan(actorOf(req), req.params.id, req.body),
    );
    app.patch(
      '/units/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'Edit a unit (commune officer); send the version you read to detect concurrent edits',
          params: idParamsSchema,
          body: orgUnitPatchSchema,
          response: { 200: orgUnitSchema, ...errors },
        },
      },
      async (req) => reg.updateOrgUnit(actorOf(req), req.params.id, req.body),
    );
    app.patch(
      '/persons/:id',
      {
        schema: {
          tags: ['registry'],
          summary:
            'Edit a person: officers (also household and unit membership), the household for its members, a unit head for staff',
          params: idParamsSchema,
          body: personPatchSchema,
          response: { 200: personSchema, ...errors },
        },
      },
      async (req) => reg.updatePerson(actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/persons/:id/invites',
      {
        schema: {
          tags: ['registry'],
          summary:
            "One-time code (14 days) linking a Zalo account to this person (officer, the household's tổ leader, the unit head)",
          params: idParamsSchema,
          response: { 201: inviteIssuedSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await reg.issuePersonInvite(actorOf(req), req.params.id)),
    );
    app.post(
      '/me/link-person-by-phone',
      {
        config: { rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: (req) => req.actor?.userId ?? req.ip } },
        schema: {
          tags: ['registry'],
          summary:
            'Link my account to the person whose registry phone equals my verified phone (if the commune allows)',
          response: { 200: householdLinkResultSchema, ...errors, 429: errorBodySchema },
        },
      },
      async (req) => reg.linkPersonByPhone(actorOf(req)),
    );
    app.get(
      '/users',
      {
        schema: {
          tags: ['registry'],
          summary:
            'Accounts one may appoint to a role: officers see those tied to their commune (household, person, role), admins every account; phones masked',
          querystring: userListQuerySchema,
          response: { 200: userListSchema, ...errors },
        },
      },
      async (req) => reg.listUsers(actorOf(req), req.query),
    );
  };
}
