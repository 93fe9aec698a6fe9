import { randomUUID } from 'node:crypto';
import type { App } from '@hoctap/server';
import type { Db } from '@hoctap/server/db/types.ts';
import { adminUnits, households, roleAssignments, users } from '@hoctap/server/db/schema/index.ts';
import { DEMO } from '@hoctap/server/db/seed/demo.ts';

/** Dev-login as a seeded user; returns a caller bound to that user's access token. */
export async function loginAs(app: App, userId: string) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/dev-login', payload: { userId } });
  if (res.statusCode !== 200) throw new Error(`dev-login ${userId}: ${res.statusCode} ${res.body}`);
  const token = res.json().accessToken as string;
  return caller(app, token);
}

export function caller(app: App, token: string) {
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      payload: payload as never,
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
  return {
    token,
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, payload?: unknown, headers?: Record<string, string>) =>
      call('POST', url, payload ?? {}, headers),
    patch: (url: string, payload: unknown) => call('PATCH', url, payload),
    del: (url: string) => call('DELETE', url),
  };
}

/**
 * A second commune in the same province, "Xã Bình Thạnh (thử nghiệm)", with one ấp, one tổ,
 * one household, an officer, a tổ leader and a linked household user.
 */
export async function seedSecondCommune(db: Db) {
  const ids = {
    communeId: randomUUID(),
    hamletId: randomUUID(),
    groupId: randomUUID(),
    householdId: randomUUID(),
    officer: randomUUID(),
    leader: randomUUID(),
    householdUser: randomUUID(),
  };
  const communePath = `/${DEMO.provinceId}/${ids.communeId}/`;
  await db.insert(adminUnits).values([
    {
      id: ids.communeId,
      level: 'commune',
      kind: 'xã',
      name: 'Xã Bình Thạnh (thử nghiệm)',
      parentId: DEMO.provinceId,
      path: communePath,
      settings: { phoneMatch: false },
    },
    {
      id: ids.hamletId,
      level: 'hamlet',
      kind: 'ấp',
      name: 'Bình Hòa',
      parentId: ids.communeId,
      path: `${communePath}${ids.hamletId}/`,
    },
    {
      id: ids.groupId,
      level: 'group',
      kind: 'tổ nhân dân tự quản',
      name: 'Tổ 1',
      parentId: ids.hamletId,
      path: `${communePath}${ids.hamletId}/${ids.groupId}/`,
    },
  ]);
  await db.insert(households).values({
    id: ids.householdId,
    communeId: ids.communeId,
    hamletId: ids.hamletId,
    groupId: ids.groupId,
    headName: 'Lê Văn Bình',
    address: '5 đường Bình Hòa',
    memberCount: 3,
    phone: '0987000111',
    externalKey: 'ma:bt-1',
  });
  await db.insert(users).values([
    { id: ids.officer, displayName: 'Cán bộ xã Bình Thạnh', devLogin: true },
    { id: ids.leader, displayName: 'Tổ trưởng Tổ 1 ấp Bình Hòa', devLogin: true },
    { id: ids.householdUser, displayName: 'Hộ Lê Văn Bình', devLogin: true, householdId: ids.householdId },
  ]);
  await db.insert(roleAssignments).values([
    { id: randomUUID(), userId: ids.officer, role: 'officer', unitId: ids.communeId },
    { id: randomUUID(), userId: ids.leader, role: 'leader', unitId: ids.groupId },
  ]);
  return ids;
}

/** A multipart/form-data body with one file in the field "file". */
export function multipartFile(fileName: string, bytes: Buffer, contentType = 'application/octet-stream') {
  const boundary = `----hoctap${randomUUID().replaceAll('-', '')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, bytes, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function upload(app: App, token: string, fileName: string, bytes: Buffer, query = '') {
  const { payload, headers } = multipartFile(fileName, bytes);
  return app.inject({
    method: 'POST',
    url: `/api/v1/imports${query}`,
    payload,
    headers: { ...headers, authorization: `Bearer ${token}` },
  });
}
