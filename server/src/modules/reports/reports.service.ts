import {
  summarySchema,
  type HistoryDto,
  type SummaryDto,
  type TargetIndicator,
  type TargetsDto,
  type TimelinessDto,
} from '@hoctap/shared/api';
import { SUBJECT_TYPES } from '@hoctap/shared';
import type { Db, Executor } from '../../db/types.ts';
import { hasRoleOver, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import * as repo from './reports.repo.ts';
import * as timelinessRepo from './timeliness.repo.ts';
import { assertCanRead, locate, type Place } from './place.ts';
import {
  campaignFigures,
  cdhtOf,
  collect,
  denominatorsOf,
  figuresOf,
  groupBy,
  STAGE_STATES,
  sumRegistry,
  totalsByUnit,
} from './figures.ts';
import { loadTargets } from './targets.ts';
import { communeReporting } from './reporting.ts';
import { createSummaryCache } from './summary-cache.ts';

const unitDto = (u: repo.AdminUnitRow) => ({ id: u.id, level: u.level, name: u.name });
const day = (d: Date) => d.toISOString().slice(0, 10);

export function createReportService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const answers = createSummaryCache();

  async function placeOrThrow(executor: Executor, actor: Actor, unitId: string): Promise<Place> {
    const place = await locate(executor, unitId);
    if (!place || place.unit.level === 'group') throw notFound();
    await assertCanRead(executor, actor, place);
    return place;
  }

  /** The campaign must belong to the place (its commune, or a commune of the province). */
  async function campaignFor(executor: Executor, place: Place, campaignId: string) {
    const campaign = await repo.findCampaign(executor, campaignId);
    if (!campaign) throw notFound();
    if (place.unit.level === 'province') {
      const [c] = await repo.findUnits(executor, [campaign.communeId]);
      if (!c || !c.path.startsWith(place.unit.path)) throw notFound();
    } else if (campaign.communeId !== place.commune?.id) throw notFound();
    return campaign;
  }

  async function summaryOf(place: Place, campaign: repo.CampaignRow): Promise<SummaryDto> {
    const today = day(clock.now());
    const { unit } = place;

    if (unit.level === 'province') {
      const communes = await repo.childUnits(db, [unit.id], today);
      const communeIds = communes.map((c) => c.id);
      const campaigns = await repo.campaignsOf(db, communeIds, [campaign.year]);
      const campaignIds = campaigns.map((c) => c.id);
      // Snapshots only when every commune's campaign has one; otherwise all of today's registry.
      const everyCommune = communeIds.every((id) => campaigns.some((c) => c.communeId === id));
      const [counts, den, t, decided] = await Promise.all([
        repo.readTotals(db, campaignIds, [unit.id, ...communeIds], STAGE_STATES),
        denominatorsOf(db, campaigns, communeIds, today, { cdht: true, live: !everyCommune, perCommune: true }),
        loadTargets(db, communes, unit, campaign.year),
        repo.decisionTotals(db, campaignIds),
      ]);
      const campaignOf = new Map(campaigns.map((c) => [c.communeId, c]));
      const decidedOf = new Map(decided.map((d) => [d.campaignId, d]));
      // Rows grouped once: filtering ~10,000 registry rows per commune took a third of the request.
      const registryOf = groupBy(den.registry, (r) => r.communeId);
      const totalsOf = totalsByUnit(counts);
      const provinceTargets = t.forProvince();
      return {
        unit: unitDto(unit),
        year: campaign.year,
        campaignIds,
        titles: figuresOf(
          totalsOf.get(unit.id) ?? new Map(),
          sumRegistry(den.registry, () => true),
          provinceTargets,
        ),
        cdht: cdhtOf(den.cdht, provinceTargets),
        children: communes.map((c) => ({
          unit: unitDto(c),
          titles: figuresOf(
            totalsOf.get(c.id) ?? new Map(),
            sumRegistry(registryOf.get(c.id) ?? [], () => true),
            t.forCommune(c),
          ),
          reporting: communeReporting(campaignOf.get(c.id), decidedOf.get(campaignOf.get(c.id)?.id ?? ''), clock.now()),
        })),
        targets: provinceTargets,
        denominator: den.source,
        generatedAt: clock.now().toISOString(),
      };
    }

    const hamlets = unit.level === 'commune' ? await repo.childUnits(db, [unit.id], today) : [];
    const f = await campaignFigures(db, campaign, [unit.id, ...hamlets.map((h) => h.id)], today, {
      cdht: true,
      place,
    });
    return {
      unit: unitDto(unit),
      year: campaign.year,
      campaignIds: [campaign.id],
      titles: f.titles(unit.id),
      cdht: f.cdht(unit.id),
      children: hamlets.map((h) => ({ unit: unitDto(h), titles: f.titles(h.id) })),
      targets: f.targets,
      denominator: f.denominator,
      generatedAt: clock.now().toISOString(),
    };
  }

  return {
    async getTargets(actor: Actor, unitId: string, year: number): Promise<TargetsDto> {
      const place = await placeOrThrow(db, actor, unitId);
      if (place.unit.level === 'hamlet')
        throw badRequest('Chỉ tiêu đặt cho xã hoặc tỉnh, không đặt cho ấp.', 'TARGET_LEVEL');
      const t = await loadTargets(db, place.commune ? [place.commune] : [], place.province, year);
      return {
        unitId,
        unitName: place.unit.name,
        year,
        targets: place.commune ? t.forCommune(place.commune) : t.forProvince(),
      };
    },

    /** Officers set their commune's targets; a province's are set by an administrator. */
    async putTargets(
      actor: Actor,
      unitId: string,
      year: number,
      body: { targets: { indicator: TargetIndicator; share: number | null }[] },
    ): Promise<TargetsDto> {
      const place = await locate(db, unitId);
      if (!place || (place.unit.level !== 'commune' && place.unit.level !== 'province')) throw notFound();
      const allowed =
        place.unit.level === 'commune'
          ? hasRoleOver(actor, ['officer'], { communeId: place.unit.id })
          : actor.roles.some((g) => g.role === 'admin');
      if (!allowed) {
        // Readers learn they may not write; everybody else cannot tell the unit exists.
        await assertCanRead(db, actor, place);
        throw notFound('Bạn không có quyền đặt chỉ tiêu cho đơn vị này.', 'TARGET_FORBIDDEN');
      }
      const now = clock.now();
      await db.transaction(async (tx) => {
        for (const t of body.targets) {
          if (t.share === null) await repo.deleteTarget(tx, unitId, year, t.indicator);
          else
            await repo.upsertTarget(tx, {
              unitId,
              year,
              indicator: t.indicator,
              share: t.share,
              source: `${place.unit.name}, năm ${year}`,
              updatedBy: actor.userId,
              updatedAt: now,
            });
        }
      });
      return this.getTargets(actor, unitId, year);
    },

    async summary(actor: Actor, q: { campaignId: string; unitId: string }): Promise<SummaryDto> {
      const place = await placeOrThrow(db, actor, q.unitId);
      const campaign = await campaignFor(db, place, q.campaignId);
      return summaryOf(place, campaign);
    },

    /**
     * GET /reports/summary. A commune's or hamlet's answer, serialised, from the cache while the
     * fingerprint of what it is computed from holds (summary-cache.ts); a province's is computed.
     */
    async summaryAnswer(actor: Actor, q: { campaignId: string; unitId: string }): Promise<string | SummaryDto> {
      const place = await placeOrThrow(db, actor, q.unitId);
      const campaign = await campaignFor(db, place, q.campaignId);
      if (place.unit.level === 'province' || !place.commune) return summaryOf(place, campaign);
      const fingerprint =
        (await repo.summaryFingerprint(db, {
          campaignId: campaign.id,
          communeId: place.commune.id,
          targetUnitIds: [place.commune.id, ...(place.province ? [place.province.id] : [])],
          year: campaign.year,
        })) + JSON.stringify([day(clock.now()), place, campaign.id, campaign.year]);
      const key = `${place.unit.id}:${campaign.id}`;
      const cached = answers.get(key, fingerprint);
      if (cached) return cached;
      // What the route's serializer would have done: the schema's parse, then JSON.
      const json = JSON.stringify(summarySchema.parse(await summaryOf(place, campaign)));
      answers.set(key, fingerprint, json);
      return json;
    },

    async timeliness(actor: Actor, q: { campaignId: string; unitId: string }): Promise<TimelinessDto> {
      const place = await placeOrThrow(db, actor, q.unitId);
      if (place.unit.level === 'province') throw badRequest('Báo cáo tiến độ xem theo xã hoặc ấp.', 'TIMELINESS_LEVEL');
      const campaign = await campaignFor(db, place, q.campaignId);
      const commune = place.commune!;
      const now = clock.now();
      const scope = place.unit.level === 'hamlet' ? { hamletId: place.unit.id } : { communeId: commune.id };
      const [registry, submitted, overall, byHamlet, queues, diffs] = await Promise.all([
        repo.registryTotals(db, [commune.id], day(now)),
        timelinessRepo.submissionTimes(db, campaign.id, scope, campaign.selfAssessmentDueAt),
        timelinessRepo.turnaround(db, campaign.id, scope, false),
        timelinessRepo.turnaround(db, campaign.id, scope, true),
        timelinessRepo.verificationQueues(db, campaign.id, scope, now, campaign.verificationDueAt),
        timelinessRepo.scoreDifferences(db, campaign.id, scope),
      ]);
      const ids = new Set<string>();
      for (const r of [...byHamlet, ...queues, ...diffs]) {
        if (r.hamletId) ids.add(r.hamletId);
      }
      for (const r of queues) if (r.groupId) ids.add(r.groupId);
      const names = new Map((await repo.findUnits(db, [...ids])).map((u) => [u.id, u]));
      const leaders = await timelinessRepo.leadersOf(
        db,
        queues.map((r) => r.groupId).filter((g): g is string => !!g),
      );
      const ref = (id: string | null) => {
        const u = id ? names.get(id) : undefined;
        return u
          ? unitDto(u)
          : { id: id ?? '00000000-0000-0000-0000-000000000000', level: 'hamlet' as const, name: 'Chưa rõ' };
      };
      const reg = sumRegistry(
        registry,
        place.unit.level === 'hamlet' ? (r) => r.hamletId === place.unit.id : () => true,
      );
      const byName = (a: { hamlet: { name: string } }, b: { hamlet: { name: string } }) =>
        a.hamlet.name.localeCompare(b.hamlet.name, 'vi');
      const o = overall[0];
      return {
        unit: unitDto(place.unit),
        campaignId: campaign.id,
        selfAssessmentDueAt: campaign.selfAssessmentDueAt.toISOString(),
        verificationDueAt: campaign.verificationDueAt.toISOString(),
        asOf: now.toISOString(),
        submission: SUBJECT_TYPES.map((t) => {
          const s = submitted.find((r) => r.subjectType === t);
          const expected = reg.get(t) ?? 0;
          return {
            subjectType: t,
            expected,
            submitted: s?.submitted ?? 0,
            onTime: s?.onTime ?? 0,
            late: (s?.submitted ?? 0) - (s?.onTime ?? 0),
            onTimeShare: expected > 0 ? (s?.onTime ?? 0) / expected : null,
          };
        }),
        turnaround: { count: o?.count ?? 0, medianHours: o?.median ?? null, p90Hours: o?.p90 ?? null },
        turnaroundByHamlet: byHamlet
          .map((r) => ({ hamlet: ref(r.hamletId), count: r.count, medianHours: r.median, p90Hours: r.p90 }))
          .sort(byName),
        queues: queues
          .map((r) => ({
            group: ref(r.groupId),
            hamletName: r.hamletId ? (names.get(r.hamletId)?.name ?? '') : '',
            leaders: leaders.filter((l) => l.unitId === r.groupId).map((l) => l.name),
            waiting: r.waiting,
            overdue: r.overdue,
            oldestWaitingHours: r.oldest
              ? Math.round(((now.getTime() - new Date(r.oldest).getTime()) / 3_600_000) * 10) / 10
              : null,
          }))
          .sort(
            (a, b) => b.overdue - a.overdue || b.waiting - a.waiting || a.group.name.localeCompare(b.group.name, 'vi'),
          ),
        scoreDifferences: diffs
          .map((r) => ({
            hamlet: ref(r.hamletId),
            count: r.count,
            adjusted: r.adjusted,
            meanSelf: r.meanSelf,
            meanVerified: r.meanVerified,
            meanDifference: r.meanDifference,
          }))
          .sort(byName),
      };
    },

    /**
     * Years side by side. A commune formed by the 2025 merger names its predecessors through its
     * hamlets' `legacyParentId`; their campaigns (and assessment_counts rows keyed by the old
     * commune) roll up into it. Same one level up for merged provinces.
     */
    async history(actor: Actor, q: { unitId: string; years: number[] }): Promise<HistoryDto> {
      const place = await placeOrThrow(db, actor, q.unitId);
      const { unit } = place;
      const preds: repo.AdminUnitRow[] = [];
      let frontier = [unit.id];
      for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
        const found = (await repo.legacyParentsOf(db, frontier)).filter(
          (u) => u.id !== unit.id && !preds.some((p) => p.id === u.id),
        );
        preds.push(...found);
        frontier = found.map((u) => u.id);
      }
      const equivalents = [unit.id, ...preds.map((p) => p.id)];
      // Campaigns are per commune: which communes' campaigns can hold rows for these units?
      let communeIds: string[];
      let registryCommunes: string[];
      if (unit.level === 'province') {
        communeIds = (await repo.childrenEver(db, equivalents)).map((c) => c.id);
        registryCommunes = (await repo.childUnits(db, [unit.id], day(clock.now()))).map((c) => c.id);
      } else if (unit.level === 'commune') {
        communeIds = equivalents;
        registryCommunes = [unit.id];
      } else {
        const commune = place.commune!;
        communeIds = [commune.id, ...(unit.legacyParentId ? [unit.legacyParentId] : [])];
        registryCommunes = [commune.id];
      }
      const campaigns = await repo.campaignsOf(db, communeIds, q.years);
      const counts = await repo.readCounts(
        db,
        campaigns.map((c) => c.id),
        equivalents,
      );
      const pick = unit.level === 'hamlet' ? (r: repo.RegistryRow) => r.hamletId === unit.id : () => true;
      const years = [];
      for (const year of q.years) {
        const ofYear = campaigns.filter((c) => c.year === year);
        const ids = ofYear.map((c) => c.id);
        // A closed year reads the denominators kept when it closed; others today's registry.
        const den = await denominatorsOf(db, ofYear, registryCommunes, day(clock.now()));
        const t = await loadTargets(db, place.commune ? [place.commune] : [], place.province, year);
        const targets = place.commune ? t.forCommune(place.commune) : t.forProvince();
        years.push({
          year,
          campaignIds: ids,
          denominator: den.source,
          titles: figuresOf(
            collect(
              counts.filter((r) => ids.includes(r.campaignId)),
              equivalents,
            ),
            sumRegistry(den.registry, pick),
            targets,
          ),
        });
      }
      const sources = new Set(years.map((y) => y.denominator));
      const denominator = sources.size === 1 ? [...sources][0]! : 'mixed';
      return { unit: unitDto(unit), predecessors: preds.map(unitDto), denominator, years };
    },
  };
}
