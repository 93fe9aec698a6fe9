import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  adminUnitListQuerySchema,
  adminUnitListSchema,
  adminUnitSchema,
  clanCreateSchema,
  clanListSchema,
  clanSchema,
  communeListQuerySchema,
  errorBodySchema,
  householdCreateSchema,
  householdLinkResultSchema,
  householdListQuerySchema,
  householdListSchema,
  householdPatchSchema,
  householdSchema,
  idParamsSchema,
  inviteCodeParamsSchema,
  inviteIssuedSchema,
  orgUnitCreateSchema,
  orgUnitListSchema,
  orgUnitSchema,
  personCreateSchema,
  personListQuerySchema,
  personListSchema,
  personSchema,
  roleAssignmentCreateSchema,
  roleAssignmentListQuerySchema,
  roleAssignmentListSchema,
  roleAssignmentSchema,
} from '@hoctap/shared/api';
import { actorOf } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';
import { ACT_FOR_HEADER } from './assisted.ts';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const assistedHeaders = z.object({ [ACT_FOR_HEADER]: z.uuid().optional() });

/** Registry routes: every one authenticated; scope is enforced by the registry service. */
export function registryRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const reg = services.registry;

    // ---- admin units
    app.get(
      '/admin-units',
      {
        schema: {
          tags: ['registry'],
          summary: 'Children of a unit (or where my scope starts)',
          querystring: adminUnitListQuerySchema,
          response: { 200: adminUnitListSchema, ...errors },
        },
      },
      async (req) => reg.listUnits(actorOf(req), req.query.parentId),
    );
    app.get(
      '/admin-units/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'One administrative unit in my scope',
          params: idParamsSchema,
          response: { 200: adminUnitSchema, ...errors },
        },
      },
      async (req) => reg.getUnit(actorOf(req), req.params.id),
    );

    // ---- households
    app.get(
      '/households',
      {
        schema: {
          tags: ['registry'],
          summary: 'Households in my scope; q searches the head name accent-insensitively',
          querystring: householdListQuerySchema,
          response: { 200: householdListSchema, ...errors },
        },
      },
      async (req) => reg.listHouseholds(actorOf(req), req.query),
    );
    app.get(
      '/households/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'One household (404 outside my scope)',
          params: idParamsSchema,
          response: { 200: householdSchema, ...errors },
        },
      },
      async (req) => reg.getHousehold(actorOf(req), req.params.id),
    );
    app.post(
      '/households',
      {
        schema: {
          tags: ['registry'],
          summary: 'Add a household (commune officer)',
          body: householdCreateSchema,
          response: { 201: householdSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await reg.createHousehold(actorOf(req), req.body)),
    );
    app.patch(
      '/households/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'Edit a household (commune officer)',
          params: idParamsSchema,
          body: householdPatchSchema,
          response: { 200: householdSchema, ...errors },
        },
      },
      async (req) => reg.updateHousehold(actorOf(req), req.params.id, req.body),
    );

    // ---- invites and linking
    app.post(
      '/households/:id/invites',
      {
        schema: {
          tags: ['registry'],
          summary: 'One-time code (14 days) linking a Zalo account to the household (tổ leader or officer)',
          params: idParamsSchema,
          response: { 201: inviteIssuedSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await reg.issueInvite(actorOf(req), req.params.id)),
    );
    app.post(
      '/invites/:code/claim',
      {
        // Keyed by user, not IP: a whole village can share one carrier IP (docs/security.md §3).
        config: { rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: (req) => req.actor?.userId ?? req.ip } },
        schema: {
          tags: ['registry'],
          summary: 'Link my account to a household with an invite code',
          params: inviteCodeParamsSchema,
          response: { 200: householdLinkResultSchema, ...errors, 410: errorBodySchema, 429: errorBodySchema },
        },
      },
      async (req) => reg.claimInvite(actorOf(req), req.params.code),
    );
    app.post(
      '/me/link-by-phone',
      {
        config: { rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: (req) => req.actor?.userId ?? req.ip } },
        schema: {
          tags: ['registry'],
          summary:
            'Link my account to the household whose registry phone equals my verified phone (if the commune allows)',
          response: { 200: householdLinkResultSchema, ...errors, 429: errorBodySchema },
        },
      },
      async (req) => reg.linkByPhone(actorOf(req)),
    );

    // ---- clans
    app.get(
      '/clans',
      {
        schema: {
          tags: ['registry'],
          summary: 'Clans of a commune in my scope',
          querystring: communeListQuerySchema,
          response: { 200: clanListSchema, ...errors },
        },
      },
      async (req) => reg.listClans(actorOf(req), req.query),
    );
    app.get(
      '/clans/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'One clan (404 outside my scope)',
          params: idParamsSchema,
          response: { 200: clanSchema, ...errors },
        },
      },
      async (req) => reg.getClan(actorOf(req), req.params.id),
    );
    app.post(
      '/clans',
      {
        schema: {
          tags: ['registry'],
          summary: 'Add a clan (commune officer)',
          body: clanCreateSchema,
          response: { 201: clanSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await reg.createClan(actorOf(req), req.body)),
    );

    // ---- units (schools, agencies, co-ops …)
    app.get(
      '/units',
      {
        schema: {
          tags: ['registry'],
          summary: 'Units (schools, agencies, co-ops…) of a commune in my scope',
          querystring: communeListQuerySchema,
          response: { 200: orgUnitListSchema, ...errors },
        },
      },
      async (req) => reg.listOrgUnits(actorOf(req), req.query),
    );
    app.get(
      '/units/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'One unit (404 outside my scope)',
          params: idParamsSchema,
          response: { 200: orgUnitSchema, ...errors },
        },
      },
      async (req) => reg.getOrgUnit(actorOf(req), req.params.id),
    );
    app.post(
      '/units',
      {
        schema: {
          tags: ['registry'],
          summary: 'Add a unit (commune officer)',
          body: orgUnitCreateSchema,
          response: { 201: orgUnitSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await reg.createOrgUnit(actorOf(req), req.body)),
    );

    // ---- persons
    app.get(
      '/persons',
      {
        schema: {
          tags: ['registry'],
          summary: 'Members of a household or staff of a unit',
          querystring: personListQuerySchema,
          response: { 200: personListSchema, ...errors },
        },
      },
      async (req) => reg.listPersons(actorOf(req), req.query),
    );
    app.get(
      '/persons/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'One person (404 outside my scope)',
          params: idParamsSchema,
          response: { 200: personSchema, ...errors },
        },
      },
      async (req) => reg.getPerson(actorOf(req), req.params.id),
    );
    app.post(
      '/persons',
      {
        schema: {
          tags: ['registry'],
          summary: `Add a household member or unit staff. A tổ leader may act for a household of their tổ with the ${ACT_FOR_HEADER} header (audited).`,
          headers: assistedHeaders,
          body: personCreateSchema,
          response: { 201: personSchema, ...errors },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await reg.createPerson(actorOf(req), req.body, req.headers[ACT_FOR_HEADER])),
    );

    // ---- role assignments
    app.get(
      '/role-assignments',
      {
        schema: {
          tags: ['registry'],
          summary: 'Active role assignments I may see (officers: my commune; others: my own)',
          querystring: roleAssignmentListQuerySchema,
          response: { 200: roleAssignmentListSchema, ...errors },
        },
      },
      async (req) => reg.listRoleAssignments(actorOf(req), req.query),
    );
    app.post(
      '/role-assignments',
      {
        schema: {
          tags: ['registry'],
          summary: 'Appoint: officers appoint tổ leaders and hamlet heads in their commune; admins appoint anyone',
          body: roleAssignmentCreateSchema,
          response: { 201: roleAssignmentSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await reg.grantRole(actorOf(req), req.body)),
    );
    app.delete(
      '/role-assignments/:id',
      {
        schema: {
          tags: ['registry'],
          summary: "Revoke a role (takes effect on the holder's next request)",
          params: idParamsSchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        await reg.revokeRole(actorOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
