import { randomUUID } from 'node:crypto';
import { CONSENT_VERSION } from '@hoctap/server/modules/identity/consent-texts.ts';
import { MILESTONES } from '../../helpers/workflow-fixtures.ts';
import { multipartPhoto, type MatrixEnv } from './env.ts';

/**
 * A well-formed request for every route, aimed at a real object of commune X (household A's where
 * it has an owner), so that what decides the answer is who asks. Destructive routes act on
 * objects nobody else in the matrix needs (a spare campaign, a spare role assignment). Routes run
 * in registration order and roles in ROLES order, so the assessment's state moves on as the matrix
 * walks it (draft → submitted → verified → appealed …): an authorised caller may then get 409, an
 * unauthorised one still gets 401/403/404.
 */

export interface MatrixRequest {
  url: string;
  body?: unknown;
  payload?: Buffer;
  headers?: Record<string, string>;
}
type Build = (env: MatrixEnv) => MatrixRequest;

const MISSING = '00000000-0000-4000-8000-000000000000';
const api = (path: string) => `/api/v1${path}`;

export const REQUESTS: Record<string, Build> = {
  'GET /health': () => ({ url: '/health' }),
  'GET /ready': () => ({ url: '/ready' }),
  'POST /zalo/webhook': () => ({ url: '/zalo/webhook', body: { event_name: 'user_send_text' } }),

  'POST /api/v1/auth/zalo': () => ({ url: api('/auth/zalo'), body: { accessToken: 'zalo-token-0123456789' } }),
  'GET /api/v1/auth/zalo/web': () => ({
    url: api(
      `/auth/zalo/web?redirectUri=${encodeURIComponent('http://localhost:3000/console')}&codeChallenge=${'c'.repeat(43)}&state=${'s'.repeat(22)}`,
    ),
  }),
  'POST /api/v1/auth/zalo/web': () => ({
    url: api('/auth/zalo/web'),
    body: { code: 'zalo-code-0123456789', codeVerifier: 'v'.repeat(43) },
  }),
  'POST /api/v1/auth/refresh': () => ({ url: api('/auth/refresh'), body: { refreshToken: 'r'.repeat(40) } }),
  'POST /api/v1/auth/logout': () => ({ url: api('/auth/logout'), body: { refreshToken: 'r'.repeat(40) } }),
  'GET /api/v1/auth/dev-users': () => ({ url: api('/auth/dev-users') }),
  'POST /api/v1/auth/dev-login': () => ({ url: api('/auth/dev-login'), body: { userId: MISSING } }),

  'GET /api/v1/me': () => ({ url: api('/me') }),
  'POST /api/v1/me/phone': () => ({
    url: api('/me/phone'),
    body: { accessToken: 'zalo-token-0123456789', phoneToken: 'phone-token' },
  }),
  'GET /api/v1/me/consents': () => ({ url: api('/me/consents') }),
  'POST /api/v1/me/consents': () => ({
    url: api('/me/consents'),
    body: { purposes: ['notifications'], textVersion: CONSENT_VERSION },
  }),
  'POST /api/v1/me/consents/withdraw': () => ({
    url: api('/me/consents/withdraw'),
    body: { purposes: ['notifications'] },
  }),
  'GET /api/v1/me/data': () => ({ url: api('/me/data') }),
  'GET /api/v1/me/data/export': () => ({ url: api('/me/data/export') }),
  // Erasing acts on the caller only (no id to aim elsewhere), so being signed in is the whole rule;
  // a real erase here would sign every role out for the rest of the matrix. The body lacks the
  // explicit confirmation, so a signed-in caller gets 400. privacy/privacy.test.ts proves the erase.
  'POST /api/v1/me/erase': () => ({ url: api('/me/erase'), body: { confirm: false } }),

  'GET /api/v1/admin-units': () => ({ url: api('/admin-units') }),
  'GET /api/v1/admin-units/:id': (e) => ({ url: api(`/admin-units/${e.w.groupA.id}`) }),
  'GET /api/v1/households': () => ({ url: api('/households') }),
  'GET /api/v1/households/:id': (e) => ({ url: api(`/households/${e.w.hh.hhA1}`) }),
  'POST /api/v1/households': (e) => ({
    url: api('/households'),
    body: { groupId: e.w.groupA.id, headName: 'Hộ Ma Trận' },
  }),
  'PATCH /api/v1/households/:id': (e) => ({ url: api(`/households/${e.w.hh.hhA1}`), body: { address: 'Ấp Mỹ Phú' } }),
  'POST /api/v1/households/:id/invites': (e) => ({ url: api(`/households/${e.w.hh.hhA2}/invites`), body: {} }),
  'POST /api/v1/invites/:code/claim': () => ({ url: api('/invites/ABCD2345/claim'), body: {} }),
  'POST /api/v1/me/link-by-phone': () => ({ url: api('/me/link-by-phone'), body: {} }),
  'GET /api/v1/clans': (e) => ({ url: api(`/clans?communeId=${e.w.commune.id}`) }),
  'GET /api/v1/clans/:id': (e) => ({ url: api(`/clans/${e.ids.clanId}`) }),
  'POST /api/v1/clans': (e) => ({
    url: api('/clans'),
    body: { communeId: e.w.commune.id, hamletId: e.w.hamlet1.id, name: 'Họ Trần' },
  }),
  'GET /api/v1/units': (e) => ({ url: api(`/units?communeId=${e.w.commune.id}`) }),
  'GET /api/v1/units/:id': (e) => ({ url: api(`/units/${e.ids.orgUnitId}`) }),
  'POST /api/v1/units': (e) => ({
    url: api('/units'),
    body: { communeId: e.w.commune.id, name: 'Hợp tác xã Mỹ Hòa', type: 'cooperative' },
  }),
  'GET /api/v1/persons': (e) => ({ url: api(`/persons?householdId=${e.w.hh.hhA1}`) }),
  'GET /api/v1/persons/:id': (e) => ({ url: api(`/persons/${e.ids.personId}`) }),
  'POST /api/v1/persons': (e) => ({
    url: api('/persons'),
    body: { householdId: e.w.hh.hhA1, fullName: 'Nguyễn Văn Bé' },
  }),
  'POST /api/v1/admin-units': (e) => ({
    url: api('/admin-units'),
    body: { level: 'hamlet', parentId: e.w.commune.id, name: 'Ấp Ma Trận' },
  }),
  // Renamed to its own name: authorised callers change nothing.
  'PATCH /api/v1/admin-units/:id': (e) => ({ url: api(`/admin-units/${e.w.groupA.id}`), body: { name: 'Tổ 1' } }),
  'POST /api/v1/admin-units/:id/merge': (e) => ({
    url: api(`/admin-units/${e.w.commune.id}/merge`),
    body: { sourceIds: [MISSING], effectiveFrom: '2026-07-01' },
  }),
  'PATCH /api/v1/clans/:id': (e) => ({ url: api(`/clans/${e.ids.clanId}`), body: { headName: 'Nguyễn Văn Trưởng' } }),
  'PATCH /api/v1/units/:id': (e) => ({ url: api(`/units/${e.ids.orgUnitId}`), body: { staffCount: 12 } }),
  'PATCH /api/v1/persons/:id': (e) => ({ url: api(`/persons/${e.ids.personId}`), body: { relation: 'vợ' } }),
  'POST /api/v1/persons/:id/invites': (e) => ({ url: api(`/persons/${e.ids.personId}/invites`), body: {} }),
  'POST /api/v1/me/link-person-by-phone': () => ({ url: api('/me/link-person-by-phone'), body: {} }),
  'GET /api/v1/users': (e) => ({ url: api(`/users?communeId=${e.w.commune.id}`) }),
  'GET /api/v1/role-assignments': () => ({ url: api('/role-assignments') }),
  'POST /api/v1/role-assignments': (e) => ({
    url: api('/role-assignments'),
    body: { userId: e.w.u.leaderA2, role: 'leader', unitId: e.w.groupB.id },
  }),
  'DELETE /api/v1/role-assignments/:id': (e) => ({ url: api(`/role-assignments/${e.ids.roleAssignmentId}`) }),

  'POST /api/v1/imports': (e) => ({ url: api(`/imports?communeId=${e.w.commune.id}`), ...multipartPhoto() }),
  'GET /api/v1/imports/:id': () => ({ url: api(`/imports/${MISSING}`) }),
  'POST /api/v1/person-imports': (e) => ({
    url: api(`/person-imports?communeId=${e.w.commune.id}`),
    ...multipartPhoto(),
  }),
  'GET /api/v1/person-imports/:id': () => ({ url: api(`/person-imports/${MISSING}`) }),
  'POST /api/v1/person-imports/:id/commit': () => ({ url: api(`/person-imports/${MISSING}/commit`), body: {} }),
  'POST /api/v1/admin-unit-imports': () => ({ url: api('/admin-unit-imports'), ...multipartPhoto() }),
  'GET /api/v1/admin-unit-imports/:id': () => ({ url: api(`/admin-unit-imports/${MISSING}`) }),
  'POST /api/v1/admin-unit-imports/:id/commit': () => ({ url: api(`/admin-unit-imports/${MISSING}/commit`), body: {} }),
  'POST /api/v1/imports/:id/commit': () => ({ url: api(`/imports/${MISSING}/commit`), body: {} }),

  'GET /api/v1/criteria-sets': () => ({ url: api('/criteria-sets') }),
  'GET /api/v1/criteria-sets/:id': (e) => ({ url: api(`/criteria-sets/${e.ids.criteriaSetId}`) }),
  'POST /api/v1/criteria-sets': () => ({ url: api('/criteria-sets'), body: { id: 'matrix-set' } }),
  'PUT /api/v1/criteria-sets/:id': (e) => ({ url: api(`/criteria-sets/${e.ids.criteriaSetId}`), body: { id: 'x' } }),

  'GET /api/v1/campaigns': () => ({ url: api('/campaigns') }),
  'POST /api/v1/campaigns': (e) => ({
    url: api('/campaigns'),
    body: { communeId: e.w.commune.id, year: 2026, title: 'Đánh giá năm 2026', ...MILESTONES },
  }),
  'GET /api/v1/campaigns/:id': (e) => ({ url: api(`/campaigns/${e.ids.campaignId}`) }),
  'PATCH /api/v1/campaigns/:id': (e) => ({
    url: api(`/campaigns/${e.ids.campaignId}`),
    body: { title: 'Đánh giá 2026' },
  }),
  'POST /api/v1/campaigns/:id/close': (e) => ({ url: api(`/campaigns/${e.ids.spareCampaignId}/close`), body: {} }),
  'POST /api/v1/campaigns/:id/reopen': (e) => ({
    url: api(`/campaigns/${e.ids.spareCampaignId}/reopen`),
    body: { reason: 'Mở lại để bổ sung' },
  }),

  'GET /api/v1/assessments': (e) => ({ url: api(`/assessments?campaignId=${e.ids.campaignId}`) }),
  'POST /api/v1/assessments': (e) => ({
    url: api('/assessments'),
    body: { id: randomUUID(), campaignId: e.ids.campaignId, subjectType: 'household', subjectId: e.w.hh.hhA1 },
  }),
  'POST /api/v1/assessments/review': (e) => ({
    url: api('/assessments/review'),
    body: { campaignId: e.ids.campaignId, hamletId: e.w.hamlet2.id, subjectType: 'household' },
  }),
  'GET /api/v1/assessments/:id': (e) => ({ url: api(`/assessments/${e.ids.assessmentId}`) }),
  'PUT /api/v1/assessments/:id/answers/:indicatorCode': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/answers/1.1`),
    body: { points: 10 },
  }),
  'GET /api/v1/assessments/:id/carry-over': (e) => ({ url: api(`/assessments/${e.ids.assessmentId}/carry-over`) }),
  // No earlier campaign in the matrix world: the owner passes authorization and gets 400.
  'POST /api/v1/assessments/:id/carry-over': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/carry-over`),
    body: { indicators: ['1.1'] },
  }),
  'POST /api/v1/assessments/:id/submit': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/submit`),
    body: {},
    headers: { 'idempotency-key': randomUUID() },
  }),
  'POST /api/v1/assessments/:id/verify': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/verify`),
    body: { answers: [] },
  }),
  'POST /api/v1/assessments/:id/return': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/return`),
    body: { items: [{ indicatorCode: '1.1', comment: 'Bổ sung ảnh tủ sách' }] },
  }),
  'POST /api/v1/assessments/:id/withdraw': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/withdraw`),
    body: {},
  }),
  'POST /api/v1/assessments/:id/appeal': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/appeal`),
    body: { reason: 'Xin xem lại' },
  }),
  'POST /api/v1/assessments/:id/appeal/resolve': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/appeal/resolve`),
    body: { outcome: 'rejected', reason: 'Giữ nguyên' },
  }),
  'GET /api/v1/assessments/:id/comments': (e) => ({ url: api(`/assessments/${e.ids.assessmentId}/comments`) }),
  'POST /api/v1/assessments/:id/comments': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/comments`),
    body: { body: 'Đã xem.' },
  }),
  'GET /api/v1/assessments/:id/timeline': (e) => ({ url: api(`/assessments/${e.ids.assessmentId}/timeline`) }),
  'GET /api/v1/campaigns/:id/decisions': (e) => ({ url: api(`/campaigns/${e.ids.campaignId}/decisions`) }),
  'POST /api/v1/campaigns/:id/decisions': (e) => ({
    url: api(`/campaigns/${e.ids.campaignId}/decisions`),
    body: { subjectType: 'household', number: '01/QĐ-UBND', decidedOn: '2026-11-10', signer: 'Nguyễn Văn Chủ' },
  }),
  'POST /api/v1/assessments/:id/evidence': (e) => ({
    url: api(`/assessments/${e.ids.assessmentId}/evidence?indicatorCode=1.2`),
    ...multipartPhoto(),
  }),
  'GET /api/v1/evidence/:id': (e) => ({ url: api(`/evidence/${e.ids.evidenceId}`) }),
  'GET /api/v1/evidence/:id/image': (e) => ({ url: api(`/evidence/${e.ids.evidenceId}/image`) }),
  'GET /api/v1/evidence/:id/thumbnail': (e) => ({ url: api(`/evidence/${e.ids.evidenceId}/thumbnail`) }),
  'DELETE /api/v1/evidence/:id': (e) => ({ url: api(`/evidence/${e.ids.evidenceId}`) }),

  'GET /api/v1/reports/summary': (e) => ({
    url: api(`/reports/summary?campaignId=${e.ids.campaignId}&unitId=${e.w.commune.id}`),
  }),
  'GET /api/v1/reports/timeliness': (e) => ({
    url: api(`/reports/timeliness?campaignId=${e.ids.campaignId}&unitId=${e.w.commune.id}`),
  }),
  'GET /api/v1/reports/history': (e) => ({ url: api(`/reports/history?unitId=${e.w.commune.id}&years=2025,2026`) }),
  'GET /api/v1/subjects/:subjectType/:subjectId/history': (e) => ({
    url: api(`/subjects/household/${e.w.hh.hhA1}/history`),
  }),
  'GET /api/v1/campaigns/:id/commendations': (e) => ({ url: api(`/campaigns/${e.ids.campaignId}/commendations`) }),
  'GET /api/v1/campaigns/:id/commendations.xlsx': (e) => ({
    url: api(`/campaigns/${e.ids.campaignId}/commendations.xlsx?years=5`),
  }),
  'GET /api/v1/targets': (e) => ({ url: api(`/targets?unitId=${e.w.commune.id}&year=2026`) }),
  'PUT /api/v1/targets': (e) => ({
    url: api(`/targets?unitId=${e.w.commune.id}&year=2026`),
    body: { targets: [{ indicator: 'households_gdht', share: 0.9 }] },
  }),
  'GET /api/v1/exports/report.xlsx': (e) => ({
    url: api(`/exports/report.xlsx?campaignId=${e.ids.campaignId}&unitId=${e.w.commune.id}`),
  }),
  'GET /api/v1/exports/lists.csv': (e) => ({
    url: api(`/exports/lists.csv?campaignId=${e.ids.campaignId}&unitId=${e.w.commune.id}&subjectType=household`),
  }),
  'GET /api/v1/exports/evidence.zip': (e) => ({
    url: api(`/exports/evidence.zip?campaignId=${e.ids.campaignId}&hamletId=${e.w.hamlet1.id}`),
  }),
  'GET /api/v1/decisions/:id/list.pdf': () => ({ url: api(`/decisions/${MISSING}/list.pdf`) }),
  'GET /api/v1/decisions/:id/certificates.pdf': () => ({ url: api(`/decisions/${MISSING}/certificates.pdf`) }),
  'POST /api/v1/decisions/:id/revoke': () => ({
    url: api(`/decisions/${MISSING}/revoke`),
    body: { reason: 'Sai sót' },
  }),

  // The public certificate page and its JSON twin: no sign-in, the same answer for everyone.
  'GET /v/verify.css': () => ({ url: '/v/verify.css' }),
  'GET /v': () => ({ url: '/v' }),
  'GET /v/:code': () => ({ url: '/v/ABCDEFGHJKMNPQRSTVWXYZ0123' }),
  'GET /api/v1/verify/:code': () => ({ url: api('/verify/ABCDEFGHJKMNPQRSTVWXYZ0123') }),

  'POST /api/v1/postings': (e) => ({
    url: api('/postings'),
    body: { campaignId: e.ids.campaignId, hamletId: e.w.hamlet2.id, subjectType: 'household' },
  }),
  'GET /api/v1/postings': (e) => ({ url: api(`/postings?campaignId=${e.ids.campaignId}`) }),
  'GET /api/v1/postings/:id': () => ({ url: api(`/postings/${MISSING}`) }),
  'POST /api/v1/postings/:id/close': () => ({ url: api(`/postings/${MISSING}/close`), body: {} }),
  'POST /api/v1/postings/:id/objections': (e) => ({
    url: api(`/postings/${MISSING}/objections`),
    body: { assessmentId: e.ids.assessmentId, kind: 'objection', reason: 'Đề nghị xem lại trường hợp này.' },
  }),
  'GET /api/v1/objections': (e) => ({ url: api(`/objections?campaignId=${e.ids.campaignId}`) }),
  'POST /api/v1/objections/:id/resolve': () => ({
    url: api(`/objections/${MISSING}/resolve`),
    body: { outcome: 'kept', reason: 'Giữ nguyên' },
  }),

  'GET /api/v1/inbox': () => ({ url: api('/inbox') }),
  'POST /api/v1/inbox/:id/read': () => ({ url: api(`/inbox/${MISSING}/read`), body: {} }),
  'GET /api/v1/messages': (e) => ({ url: api(`/messages?communeId=${e.w.commune.id}`) }),
  'GET /api/v1/messages/alerts': () => ({ url: api('/messages/alerts') }),
  'GET /api/v1/share-summaries/:unitId': (e) => ({ url: api(`/share-summaries/${e.w.hamlet1.id}`) }),
  'GET /api/v1/zalo-groups': (e) => ({ url: api(`/zalo-groups?communeId=${e.w.commune.id}`) }),
  'PUT /api/v1/zalo-groups/:unitId': (e) => ({
    url: api(`/zalo-groups/${e.w.hamlet1.id}`),
    body: { groupId: 'grp123456', name: 'Nhóm ấp Mỹ Phú' },
  }),
};

/** Routes outside the matrix, each with the reason. */
export const NOT_IN_MATRIX: Record<string, string> = {
  'OPTIONS *': 'CORS preflight, answered by @fastify/cors for every path',
};
export const isDocsRoute = (key: string) => / \/docs(\/|$)/.test(key);
