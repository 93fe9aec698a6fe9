import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pdfPages } from '../../helpers/pdf.ts';
import { normaliseCode } from '@hoctap/server/modules/certificates/codes.ts';
import { decide, PUBLIC_URL, review, transparencyWorld, verifiedHousehold, type TransparencyWorld } from './helpers.ts';
import { qrOnPdfPage } from './qr.ts';

/*
 * Certificates anyone can verify (issue 19, docs/transparency.md §1): the QR on the printed certificate opens a public
 * page that says genuine / revoked / unknown with only what the certificate prints.
 */

let tw: TransparencyWorld;
let decisionId: string;
let pdf: Buffer;
let codeOf: Map<string, string>;

beforeAll(async () => {
  tw = await transparencyWorld();
  const { c, w } = tw;
  await verifiedHousehold(tw, c.hhA1, w.hh.hhA1, c.leaderA);
  await verifiedHousehold(tw, c.hhA2, w.hh.hhA2, c.leaderA);
  await review(tw, w.hamlet1.id);
  const d = await decide(tw, '25/QĐ-UBND');
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  decisionId = d.body.id;
  const res = await tw.t.app.inject({
    method: 'GET',
    url: `/api/v1/decisions/${decisionId}/certificates.pdf`,
    headers: c.officer.auth,
  });
  expect(res.statusCode).toBe(200);
  pdf = res.rawPayload;
  codeOf = new Map();
}, 600_000);
afterAll(async () => tw?.t.close());

const page = (url: string, remoteAddress = '198.51.100.1') => tw.t.app.inject({ method: 'GET', url, remoteAddress });

describe('certificate codes', () => {
  it('every certificate prints a QR that opens its own public page, and the code beside it', async () => {
    const pages = (await pdfPages(pdf)).map((p) => p.replace(/\s+/g, ' '));
    expect(pages, JSON.stringify(pages, null, 1)).toHaveLength(2);
    for (const [i, text] of pages.entries()) {
      const url = await qrOnPdfPage(pdf, i + 1);
      expect(url, `page ${i + 1}`).toMatch(new RegExp(`^${PUBLIC_URL}/v/[0-9A-HJKMNP-TV-Z]{26}$`));
      const code = url!.split('/v/')[1]!;
      // The printed code (groups of five) is the same code: typing it finds the same certificate.
      const printed = /nhập mã tra cứu: ([0-9A-Z-]+)/.exec(text)![1]!;
      expect(normaliseCode(printed)).toBe(code);
      expect(text).toContain(`${PUBLIC_URL}/v`);
      const name = text.includes('Nguyễn Văn An') ? 'Nguyễn Văn An' : 'Trần Thị Bình';
      codeOf.set(name, code);
    }
    expect(new Set(codeOf.values()).size).toBe(2);
    // Printing again keeps the codes (the paper already in people's hands stays valid).
    const again = await tw.t.app.inject({
      method: 'GET',
      url: `/api/v1/decisions/${decisionId}/certificates.pdf`,
      headers: tw.c.officer.auth,
    });
    expect(await qrOnPdfPage(again.rawPayload, 1)).toBe(await qrOnPdfPage(pdf, 1));
  }, 120_000);

  it('genuine: the page shows the title, year, name, commune, decision number and date — and nothing else', async () => {
    const code = codeOf.get('Nguyễn Văn An')!;
    const res = await page(`/v/${code}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.body;
    expect(html).toContain('Giấy chứng nhận hợp lệ');
    expect(html).toContain('Gia đình học tập năm 2026');
    expect(html).toContain('Nguyễn Văn An');
    expect(html).toContain('Xã Mỹ Hòa');
    expect(html).toContain('Số 25/QĐ-UBND ngày 10/11/2026');
    // CSP-friendly and nothing beyond what is printed: no script, no inline style, no hamlet, tổ,
    // points, certificate number, other household or ids.
    expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    for (const absent of ['Mỹ Phú', 'Tổ 1', '100', '25/QĐ-UBND/1', 'Trần Thị Bình', tw.w.hh.hhA1, tw.w.commune.id])
      expect(html, absent).not.toContain(absent);

    const json = await page(`/api/v1/verify/${code}`);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({
      status: 'genuine',
      subjectType: 'household',
      title: 'Gia đình học tập',
      year: 2026,
      subjectName: 'Hộ Nguyễn Văn An',
      communeName: 'Xã Mỹ Hòa',
      decisionNumber: '25/QĐ-UBND',
      decidedOn: '2026-11-10',
    });
    // Typed by hand from paper: lower case, hyphens, O for 0 all find it (via the form).
    const typed = code
      .toLowerCase()
      .replace(/0/g, 'o')
      .replace(/(.{5})/g, '$1-');
    const form = await page(`/v?ma=${encodeURIComponent(typed)}`);
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe(`/v/${code}`);
    expect((await page('/v')).body).toContain('Nhập mã in dưới mã QR');
    const css = await page('/v/verify.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
  });

  it('unknown: a well-formed code nobody was given, garbage, or an over-long code all say "not found"', async () => {
    for (const url of ['/v/ABCDEFGHJKMNPQRSTVWXYZ0123', '/v/không-có', `/v/${'A'.repeat(60)}`, '/v?ma=xyz']) {
      const res = await page(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(res.body, url).toContain('Không tìm thấy');
    }
    const json = await page('/api/v1/verify/ABCDEFGHJKMNPQRSTVWXYZ0123');
    expect(json.statusCode).toBe(404);
    expect(json.json().code).toBe('CERTIFICATE_UNKNOWN');
  });

  it('revoked: after the officer revokes the decision every certificate of it says "đã thu hồi"', async () => {
    const { c } = tw;
    expect((await c.otherOfficer.post(`/decisions/${decisionId}/revoke`, { reason: 'Nhầm' })).status).toBe(404);
    expect((await c.hamletHead.post(`/decisions/${decisionId}/revoke`, { reason: 'Nhầm' })).status).toBe(404);
    expect((await c.hhA1.post(`/decisions/${decisionId}/revoke`, { reason: 'Nhầm' })).status).toBe(404);
    const r = await c.officer.post(`/decisions/${decisionId}/revoke`, { reason: 'Quyết định ban hành sai thẩm quyền' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await c.officer.post(`/decisions/${decisionId}/revoke`, { reason: 'Lần hai' })).body.code).toBe(
      'DECISION_REVOKED',
    );
    for (const code of codeOf.values()) {
      const res = await page(`/v/${code}`, '198.51.100.2');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Đã thu hồi');
      expect(res.body).not.toContain('Giấy chứng nhận hợp lệ');
      expect((await page(`/api/v1/verify/${code}`, '198.51.100.2')).json().status).toBe('revoked');
    }
    // The revocation is audited; its certificates can no longer be printed.
    const again = await c.officer.get(`/decisions/${decisionId}/certificates.pdf`);
    expect(again.status).toBe(409);
  });

  it('look-ups are rate-limited per client address, with a Vietnamese page (and JSON for the API)', async () => {
    const code = codeOf.get('Trần Thị Bình')!;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const got: number[] = [];
      for (let i = 0; i < 31; i++) got.push((await page(`/v/${code}`, '203.0.113.50')).statusCode);
      expect(got.slice(0, 30)).not.toContain(429);
      const limited = await page(`/v/${code}`, '203.0.113.50');
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(limited.body).toContain('Bạn tra cứu quá nhiều lần');
      expect(limited.headers['retry-after']).toBeDefined();
      // Another address is not affected.
      expect((await page(`/v/${code}`, '203.0.113.51')).statusCode).toBe(200);
      const api: number[] = [];
      for (let i = 0; i < 31; i++) api.push((await page(`/api/v1/verify/${code}`, '203.0.113.52')).statusCode);
      expect(api.at(-1)).toBe(429);
      const body = (await page(`/api/v1/verify/${code}`, '203.0.113.52')).json();
      expect(body.code).toBe('VERIFY_RATE_LIMITED');
      expect(body.message).toContain('Vui lòng đợi');
    } finally {
      vi.useRealTimers();
    }
  });
});
