import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentCounts, assessments, households, outbox } from '@hoctap/server/db/schema/index.ts';
import { SUBJECT_TYPES, type SubjectType } from '@hoctap/server/db/schema/index.ts';
import { formatShare, TITLE_LABELS } from '@hoctap/shared';
import type { TitleFigures } from '@hoctap/shared/api';
import { emit } from '../../helpers/notify-fixtures.ts';
import { NOW } from '../../helpers/report-fixtures.ts';
import { excelShareText } from '../../helpers/xlsx.ts';
import { registryTotals } from './expected.ts';
import { reportContext, type ReportContext } from './setup.ts';

/*
 * Issue 12: one commune, several outcomes per title, read in the four places a commune reads
 * its results — the report endpoint, the XLSX, the Zalo group messages after each decision and
 * the leaders' share summary — and every figure must be the same, written the same way.
 */

let ctx: ReportContext;
const db = () => ctx.t.db.database.db;
const AWAITING = ['submitted', 'resubmitted', 'returned', 'verified', 'reviewed'];

beforeAll(async () => {
  ctx = await reportContext();
  await finaliseCampaign();
  // The commune's own targets (not the plan's 85 %/80 %): messages must say these.
  const put = await ctx.put('officer', `/targets?unitId=${ctx.fx.ids.C}&year=2026`, {
    targets: [
      { indicator: 'households_gdht', share: 0.775 },
      { indicator: 'clans_dhht', share: 0.5 },
    ],
  });
  expect(put.statusCode).toBe(200);
  for (const subjectType of SUBJECT_TYPES) {
    const decisionId = subjectType === 'household' ? ctx.fx.decisions.household.id : randomUUID();
    await emit(
      db(),
      { kind: 'decision_published', decisionId, campaignId: ctx.fx.campaign.id, communeId: ctx.fx.ids.C, subjectType },
      `consistency:${subjectType}`,
      NOW,
    );
  }
});
afterAll(async () => ctx?.close());

/**
 * The commune decides on everything still waiting (not recognised), as the workflow would: the
 * decided rows carry the decision and the maintained counts move at hamlet, commune and province.
 */
async function finaliseCampaign() {
  const { fx } = ctx;
  const waiting = fx.assessments.filter((a) => a.campaignId === fx.campaign.id && AWAITING.includes(a.state));
  for (const a of waiting) {
    await db()
      .update(assessments)
      .set({ state: 'not_recognised', decisionId: a.subjectType === 'household' ? fx.decisions.household.id : null })
      .where(eq(assessments.id, a.id));
    const units = [a.hamletId, a.communeId, fx.ids.P].filter((x): x is string => !!x);
    const at = (state: string) =>
      and(
        eq(assessmentCounts.campaignId, a.campaignId),
        inArray(assessmentCounts.unitId, units),
        eq(assessmentCounts.subjectType, a.subjectType),
        eq(assessmentCounts.state, state),
      );
    await db()
      .update(assessmentCounts)
      .set({ n: sql`${assessmentCounts.n} - 1` })
      .where(at(a.state));
    const moved = await db()
      .update(assessmentCounts)
      .set({ n: sql`${assessmentCounts.n} + 1` })
      .where(at('not_recognised'))
      .returning({ unitId: assessmentCounts.unitId });
    const missing = units.filter((u) => !moved.some((m) => m.unitId === u));
    if (missing.length > 0)
      await db()
        .insert(assessmentCounts)
        .values(
          missing.map((unitId) => ({
            campaignId: a.campaignId,
            unitId,
            subjectType: a.subjectType,
            state: 'not_recognised',
            n: 1,
          })),
        );
    a.state = 'not_recognised';
  }
}

/** "Ấp Mỹ Thạnh: 2/6 hộ đạt Gia đình học tập — 33,3 %, chỉ tiêu 77,5 %" → its figures. */
function parseResult(text: string) {
  const m = /^(.+?): ([\d.]+)\/([\d.]+) (.+?) đạt (.+?) — (.+? %|—)(?:, chỉ tiêu (.+ %))?/.exec(text);
  if (!m) throw new Error(`not a result message: ${text}`);
  return {
    place: m[1]!,
    recognised: Number(m[2]!.replace(/\./g, '')),
    total: Number(m[3]!.replace(/\./g, '')),
    title: m[5]!,
    share: m[6]!,
    target: m[7] ?? null,
  };
}

const asShown = (f: TitleFigures) => ({
  recognised: f.recognised,
  total: f.registryTotal,
  title: f.title,
  share: formatShare(f.share),
  target: f.target === null ? null : formatShare(f.target),
});

async function groupMessages() {
  const rows = await db().select().from(outbox).where(eq(outbox.channel, 'gmf'));
  return rows
    .filter((r) => r.kind === 'decision_published')
    .map((r) => ({ unitId: r.recipient, ...parseResult((r.payload as { text: string }).text) }));
}

describe('issue 12: the same figures everywhere', () => {
  it('report, XLSX, group messages and share summary agree, title by title and place by place', async () => {
    const { fx } = ctx;
    const report = (
      await ctx.get('officer', `/reports/summary?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`)
    ).json();
    const byUnit = new Map<string, TitleFigures[]>([
      [fx.ids.C, report.titles],
      ...report.children.map((c: { unit: { id: string }; titles: TitleFigures[] }) => [c.unit.id, c.titles] as const),
    ]);
    const figures = (unitId: string, t: SubjectType) => byUnit.get(unitId)!.find((f) => f.subjectType === t)!;

    // Several outcomes per title, so nothing below is trivially 0 or 100 %.
    const hh = figures(fx.ids.C, 'household');
    expect(hh.recognised).toBeGreaterThan(0);
    expect(hh.recognised).toBeLessThan(hh.registryTotal);

    // XLSX: the same counts and the same displayed shares and targets, per title and place.
    const xlsx = await ctx.get('officer', `/exports/report.xlsx?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const names = new Map<string, string>([['Toàn xã', fx.ids.C], ...fx.hamlets.map((h) => [h.name, h.id] as const)]);
    for (const t of SUBJECT_TYPES) {
      const ws = wb.getWorksheet(TITLE_LABELS[t])!;
      for (let n = 2; n <= ws.rowCount && ws.getRow(n).cellCount > 0; n++) {
        const row = ws.getRow(n);
        const f = figures(names.get(String(row.getCell(1).value))!, t);
        expect({
          recognised: row.getCell(6).value,
          total: row.getCell(2).value,
          title: TITLE_LABELS[t],
          share: excelShareText(row.getCell(7)),
          target: row.getCell(8).value === null ? null : excelShareText(row.getCell(8)),
        }).toEqual(asShown(f));
      }
    }

    // Group messages: one per title to the commune group, the households' also to each hamlet.
    const messages = await groupMessages();
    expect(messages.filter((m) => m.unitId === fx.ids.C)).toHaveLength(SUBJECT_TYPES.length);
    expect(
      messages
        .filter((m) => m.unitId !== fx.ids.C)
        .map((m) => m.unitId)
        .sort(),
    ).toEqual(fx.hamlets.map((h) => h.id).sort());
    for (const m of messages) {
      const t = SUBJECT_TYPES.find((x) => TITLE_LABELS[x] === m.title)!;
      const { unitId: _u, place: _p, ...shown } = m;
      expect(shown, `${t} → ${m.place}`).toEqual(asShown(figures(m.unitId, t)));
    }

    // Share summaries (households) for the commune and each hamlet.
    for (const unitId of [fx.ids.C, ...fx.hamlets.map((h) => h.id)]) {
      const res = await ctx.get('officer', `/share-summaries/${unitId}`);
      expect(res.statusCode).toBe(200);
      const { place: _p, ...shown } = parseResult(res.json().text);
      expect(shown).toEqual(asShown(figures(unitId, 'household')));
    }
  });

  it('item 1: shares are written with one decimal where needed, as the report reads them', async () => {
    const hh = (await groupMessages()).find((m) => m.unitId === ctx.fx.ids.C && m.title === 'Gia đình học tập')!;
    // 4 of 11 households: 36,4 % (a whole-percent rounding said "36 %").
    expect(hh.share).toBe(formatShare(hh.recognised / hh.total));
    expect(hh.share).toMatch(/^\d+,\d %$/);
  });

  it('item 2: citizens are counted against the registry, never against the number of states', async () => {
    const c = (await groupMessages()).find((m) => m.unitId === ctx.fx.ids.C && m.title === 'Công dân học tập')!;
    expect(c.total).toBe(registryTotals(ctx.fx).citizen);
    expect(c.recognised).toBeLessThanOrEqual(c.total);
  });

  it('item 3: targets come from the resolver (the commune set 77,5 % and 50 %), not a hard-coded copy', async () => {
    const msgs = (await groupMessages()).filter((m) => m.unitId === ctx.fx.ids.C);
    expect(msgs.find((m) => m.title === 'Gia đình học tập')!.target).toBe('77,5 %');
    expect(msgs.find((m) => m.title === 'Dòng họ học tập')!.target).toBe('50 %');
    // Titles the commune did not set keep the plan preset, as in the report.
    expect(msgs.find((m) => m.title === 'Đơn vị học tập')!.target).toBe('90 %');
  });

  it('item 7: a closed campaign keeps its denominators; the registry moving afterwards changes nothing', async () => {
    const { fx } = ctx;
    const url = `/reports/summary?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`;
    const before = (await ctx.get('officer', url)).json();
    expect(before.denominator).toBe('registry_now');
    expect((await ctx.post('officer', `/campaigns/${fx.campaign.id}/close`, { reason: 'Hết năm' })).statusCode).toBe(
      200,
    );
    // A new household registers after the year closed.
    await db().insert(households).values({
      id: randomUUID(),
      communeId: fx.ids.C,
      hamletId: fx.ids.H1,
      groupId: fx.ids.G11,
      headName: 'Hộ mới năm sau',
      externalKey: 'moi-2027',
      phone: null,
    });
    const after = (await ctx.get('officer', url)).json();
    expect(after.denominator).toBe('snapshot');
    expect(after.titles).toEqual(before.titles);
    expect(after.children).toEqual(before.children);
    const history = (await ctx.get('officer', `/reports/history?unitId=${fx.ids.C}&years=2026`)).json();
    expect(history.years[0].denominator).toBe('snapshot');
    expect(history.years[0].titles.find((t: TitleFigures) => t.subjectType === 'household').registryTotal).toBe(
      before.titles.find((t: TitleFigures) => t.subjectType === 'household').registryTotal,
    );
    // Reopened and closed again: still the first snapshot.
    const reopen = await ctx.post('officer', `/campaigns/${fx.campaign.id}/reopen`, { reason: 'Sửa sai sót' });
    expect(reopen.statusCode).toBe(200);
    expect((await ctx.post('officer', `/campaigns/${fx.campaign.id}/close`, {})).statusCode).toBe(200);
    expect((await ctx.get('officer', url)).json().titles).toEqual(before.titles);
  });
});
