import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, SELF_DUE, VERIFY_DUE } from '../../helpers/report-fixtures.ts';
import { reportContext, type ReportContext } from './setup.ts';
import { percentileCont } from './expected.ts';

let ctx: ReportContext;
beforeAll(async () => {
  ctx = await reportContext();
});
afterAll(async () => ctx?.close());

describe('GET /reports/timeliness', () => {
  it('on-time submissions, verifier turnaround median/p90, overdue queues per tổ, self vs verified per hamlet', async () => {
    const { fx } = ctx;
    const res = await ctx.get('officer', `/reports/timeliness?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const mine = fx.assessments.filter((a) => a.campaignId === fx.campaign.id);

    const hh = mine.filter((a) => a.subjectType === 'household');
    const sub = body.submission.find((s: { subjectType: string }) => s.subjectType === 'household');
    const submitted = hh.filter((a) => a.submittedAt);
    expect(sub).toMatchObject({
      expected: fx.households.length,
      submitted: submitted.length,
      onTime: submitted.filter((a) => a.submittedAt! <= SELF_DUE).length,
      late: submitted.filter((a) => a.submittedAt! > SELF_DUE).length,
    });
    expect(sub.late).toBe(2); // Huỳnh Thị Mỹ Dung and Đỗ Thị Thu submitted in October

    const hours = mine
      .filter((a) => a.verifiedAt && a.submittedAt)
      .map((a) => (a.verifiedAt!.getTime() - a.submittedAt!.getTime()) / 3_600_000);
    expect(hours.sort((a, b) => a - b)).toEqual([10, 24, 48, 72, 96, 120]); // the other commune's 24 h is out of scope
    expect(body.turnaround.count).toBe(hours.length);
    expect(body.turnaround.medianHours).toBeCloseTo(percentileCont(hours, 0.5)!, 6);
    expect(body.turnaround.medianHours).toBeCloseTo(60, 6);
    expect(body.turnaround.p90Hours).toBeCloseTo(percentileCont(hours, 0.9)!, 6);
    expect(body.turnaround.p90Hours).toBeCloseTo(108, 6);
    const h2 = body.turnaroundByHamlet.find((r: { hamlet: { id: string } }) => r.hamlet.id === fx.ids.H2);
    expect(h2.medianHours).toBeCloseTo(percentileCont([96, 120, 10], 0.5)!, 6);

    // Waiting for verification: Lê Thị Ánh Tuyết (Tổ 1 Mỹ Thạnh), Đỗ Thị Thu (Tổ 2 Mỹ Phú),
    // and clan/unit submissions with no tổ. The verification due date has passed: all overdue.
    expect(NOW > VERIFY_DUE).toBe(true);
    const q11 = body.queues.find((q: { group: { id: string } }) => q.group.id === fx.ids.G11);
    expect(q11).toMatchObject({
      waiting: 1,
      overdue: 1,
      hamletName: 'Ấp Mỹ Thạnh',
      leaders: ['Tổ trưởng Trương Văn Mười'],
    });
    const q22 = body.queues.find((q: { group: { id: string } }) => q.group.id === fx.ids.G22);
    expect(q22).toMatchObject({ waiting: 1, overdue: 1 });
    const pending = mine.filter((a) => a.state === 'submitted' || a.state === 'resubmitted').length;
    expect(body.queues.reduce((s: number, q: { waiting: number }) => s + q.waiting, 0)).toBe(pending);

    // Self vs verified per hamlet.
    for (const hamlet of fx.hamlets) {
      const both = mine.filter((a) => a.hamletId === hamlet.id && a.selfTotal !== null && a.verifiedTotal !== null);
      const row = body.scoreDifferences.find((r: { hamlet: { id: string } }) => r.hamlet.id === hamlet.id);
      expect(row.count).toBe(both.length);
      expect(row.adjusted).toBe(both.filter((a) => a.selfTotal !== a.verifiedTotal).length);
      const mean = both.reduce((s, a) => s + (a.verifiedTotal! - a.selfTotal!), 0) / both.length;
      expect(row.meanDifference).toBeCloseTo(mean, 6);
    }
  });

  it('a hamlet head gets their hamlet only; other communes 404', async () => {
    const { fx } = ctx;
    const res = await ctx.get('hamletHead', `/reports/timeliness?campaignId=${fx.campaign.id}&unitId=${fx.ids.H1}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().turnaround.count).toBe(3); // 24, 48, 72
    expect(res.json().turnaround.medianHours).toBeCloseTo(48, 6);
    expect(
      (await ctx.get('officer2', `/reports/timeliness?campaignId=${fx.campaign.id}&unitId=${fx.ids.C}`)).statusCode,
    ).toBe(404);
  });
});
