import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * The OpenAPI document generated from the zod route schemas, served at /docs/json with a UI at
 * /docs. It is OpenAPI 3.1 because zod 4 emits JSON Schema 2020-12 (`type: ["string", "null"]`),
 * which 3.1 adopts as is; 3.0 would need every schema rewritten into its older dialect.
 * The route schemas stay plain: operationIds, security and the shared error responses are added
 * here, once, so every route gets them the same way.
 */

// Routes with these tags need no access token (login, refresh, health); every other operation
// requires the bearer JWT. The authorization matrix test checks this against real requests.
const PUBLIC_TAGS = new Set(['auth', 'system', 'verify']);

const TAGS = [
  { name: 'system', description: 'Liveness and readiness' },
  { name: 'auth', description: 'Login with Zalo, token refresh, logout' },
  { name: 'me', description: 'The caller: roles, scope, phone, consents' },
  { name: 'registry', description: 'Administrative units, households, clans, units, persons, roles' },
  { name: 'imports', description: 'Household list imports (dry run, then commit)' },
  { name: 'criteria', description: 'Criteria sets' },
  { name: 'workflow', description: 'Campaigns, assessments, evidence, decisions' },
  { name: 'reports', description: 'Figures and targets' },
  { name: 'exports', description: 'Workbooks, CSV lists, photo archives, PDFs' },
  { name: 'notifications', description: 'Inbox, message log, Zalo groups' },
  { name: 'verify', description: 'Public certificate verification (no sign-in)' },
  { name: 'postings', description: 'Public posting of proposed lists (niêm yết) and objections' },
];

/** Every error status an operation may declare, described once under components.responses. */
const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'Invalid input (the message says which field and why)' },
  401: { name: 'Unauthorized', description: 'Missing, invalid, expired or revoked access token' },
  403: { name: 'Forbidden', description: 'The caller is known but may not do this' },
  404: { name: 'NotFound', description: 'Not found, or outside the caller’s scope (same answer for both)' },
  409: { name: 'Conflict', description: 'Conflicts with the current state (version, duplicate, closed campaign…)' },
  410: { name: 'Gone', description: 'Expired or already used' },
  413: { name: 'PayloadTooLarge', description: 'Body or file too large' },
  415: { name: 'UnsupportedMediaType', description: 'Unsupported file or content type' },
  422: { name: 'UnprocessableEntity', description: 'Well-formed but breaks a business rule' },
  429: { name: 'TooManyRequests', description: 'Rate limit reached; retry after the Retry-After delay' },
  502: { name: 'BadGateway', description: 'Zalo answered with an error' },
  503: { name: 'ServiceUnavailable', description: 'Database or Zalo unreachable, or overloaded; retry later' },
};
const RETRY_AFTER = {
  description: 'Seconds to wait before retrying',
  schema: { type: 'integer', minimum: 0 },
};

function componentResponses() {
  return Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description }) => [
      name,
      {
        description,
        ...(name === 'TooManyRequests' || name === 'ServiceUnavailable'
          ? { headers: { 'Retry-After': RETRY_AFTER } }
          : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      },
    ]),
  );
}

/** `POST /api/v1/assessments/{id}/answers/{indicatorCode}` → `postAssessmentsByIdAnswersByIndicatorCode`. */
export function operationIdFor(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1(?=\/)/, '')
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      const param = /^[:{](\w+)}?$/.exec(segment);
      const parts = (param ? param[1]! : segment).split(/[^A-Za-z0-9]+/).filter(Boolean);
      return (param ? ['by', ...parts] : parts).map((w) => w[0]!.toUpperCase() + w.slice(1));
    });
  return method.toLowerCase() + words.join('');
}

/**
 * The response schema of a route that sends a file: the body is not serialised (Fastify sends
 * buffers and streams as they are); the document lists it under its media type.
 */
export function binaryResponse(description: string, mediaType: string) {
  return z.any().meta({ description, contentMediaType: mediaType });
}

type JsonObject = Record<string, unknown>;
type Operation = { tags?: string[]; responses?: Record<string, JsonObject> };

function describeResponses(op: Operation): void {
  const responses: Record<string, JsonObject> = {};
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    const code = Number(status);
    const shared = ERROR_RESPONSES[code];
    if (shared) {
      responses[status] = { $ref: `#/components/responses/${shared.name}` };
    } else if (code === 204) {
      responses[status] = { description: STATUS_CODES[204]! };
    } else {
      responses[status] = { ...fileContent(response), description: STATUS_CODES[code] ?? 'Response' };
    }
  }
  // A failing database answers 503 everywhere (the error handler maps it), so say so everywhere.
  responses['503'] ??= { $ref: '#/components/responses/ServiceUnavailable' };
  op.responses = responses;
}

/** A binaryResponse() arrives as an application/json schema carrying its real media type. */
function fileContent(response: JsonObject): JsonObject {
  const content = response.content as Record<string, { schema?: JsonObject }> | undefined;
  const schema = content?.['application/json']?.schema;
  const mediaType = schema?.contentMediaType;
  if (typeof mediaType !== 'string') return response;
  const description = typeof schema?.description === 'string' ? schema.description : undefined;
  return {
    ...response,
    content: {
      [mediaType]: { schema: { type: 'string', contentMediaType: mediaType, ...(description && { description }) } },
    },
  };
}

/**
 * zod writes a record with enum keys as `propertyNames` + `required` without `properties`; valid
 * JSON Schema, but tools (and generated clients) only see named properties, so name them.
 */
function nameRecordKeys(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(nameRecordKeys);
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonObject;
  const keys = (schema.propertyNames as { enum?: unknown[] } | undefined)?.enum;
  const values = schema.additionalProperties;
  if (!schema.properties && Array.isArray(keys) && values && typeof values === 'object') {
    schema.properties = Object.fromEntries(keys.map((k) => [String(k), values]));
  }
  Object.values(schema).forEach(nameRecordKeys);
}

/** Removes the schemas no operation refers to (zod registers an input and an output copy of each). */
function pruneSchemas(doc: JsonObject): void {
  const components = doc.components as { schemas?: Record<string, unknown> };
  if (!components.schemas) return;
  const used = new Set<string>();
  const pending = [JSON.stringify({ ...doc, components: { ...components, schemas: {} } })];
  while (pending.length) {
    for (const [, name] of pending.pop()!.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (used.has(name!)) continue;
      used.add(name!);
      pending.push(JSON.stringify(components.schemas[name!] ?? null));
    }
  }
  components.schemas = Object.fromEntries(Object.entries(components.schemas).filter(([name]) => used.has(name)));
}

export async function registerOpenApi(app: FastifyInstance, opts: { serveDocs: boolean }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Học tập suốt đời — API đánh giá, công nhận danh hiệu học tập',
        description:
          'API cho Zalo Mini App: tự đánh giá, xác minh, công nhận Gia đình học tập, Dòng họ học tập, Cộng đồng học tập, Đơn vị học tập và Công dân học tập.',
        version: '0.1.0',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: TAGS,
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const schema = out.schema as (JsonObject & { hide?: boolean; tags?: string[] }) | undefined;
      if (!schema || schema.hide) return out;
      const method = [input.route.method].flat()[0]!;
      schema.operationId ??= operationIdFor(method, out.url);
      const isPublic = (schema.tags ?? []).some((t) => PUBLIC_TAGS.has(t));
      schema.security ??= isPublic ? [] : [{ bearerAuth: [] }];
      return out;
    },
    transformObject: (input) => {
      const doc = jsonSchemaTransformObject(input) as JsonObject & {
        paths: Record<string, Record<string, Operation>>;
        components: JsonObject;
      };
      for (const operations of Object.values(doc.paths)) {
        for (const op of Object.values(operations)) describeResponses(op);
      }
      nameRecordKeys(doc);
      doc.components.responses = componentResponses();
      pruneSchemas(doc);
      return doc;
    },
  });
  // Without the UI the document is still built (tests and tools read it through app.swagger()).
  // Swagger UI sets element styles from its script, so /docs (and only /docs) allows inline styles;
  // scripts stay 'self' only. Without this the browser console reports a CSP violation on every load.
  if (opts.serveDocs)
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      transformStaticCSP: (header) => header.replace(/style-src ([^;]*);/, "style-src $1 'unsafe-inline';"),
    });
}
