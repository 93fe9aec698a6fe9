import { compile, TITLE_LABELS } from '@hoctap/shared';
import type { CommendationsDto, HistoryState, SubjectHistoryDto } from '@hoctap/shared/api';
import type { SubjectType } from '../../db/schema/index.ts';
import type { Db } from '../../db/types.ts';
import { hasRoleOver, READ_ROLES, type Actor, type Location } from '../../lib/actor.ts';
import { notFound } from '../../lib/errors.ts';
import {
  findClanSubject,
  findHamletSubject,
  findHouseholdSubject,
  findPersonSubject,
  findUnitSubject,
} from '../assessments/assessments.repo.ts';
import type { CriteriaSetService } from '../criteria-sets/criteria-sets.service.ts';
import { consecutiveYearsBefore } from '../reports/honours.ts';
import { findCampaign, findUnits, legacyParentsOf } from '../reports/reports.repo.ts';
import type { Render } from '../exports/render.ts';
import type { FileOut } from '../exports/exports.service.ts';
import { slug } from '../exports/files.ts';
import * as repo from './history.repo.ts';

/** Default run for a commendation proposal when neither the campaign nor the criteria set names one. */
export const COMMENDATION_YEARS = 5;

interface SubjectRef {
  name: string;
  loc: Location;
  /** The caller owns the subject (their household, themselves, the clan/unit they head, their ấp). */
  own: boolean;
}

/**
 * Years that build on each other (docs/transparency.md §3, §5): a subject's titles year by year,
 * and the commune's commendation proposals from them.
 */
export function createHistoryService(deps: { db: Db; criteriaSets: Pick<CriteriaSetService, 'load'>; render: Render }) {
  const { db, criteriaSets, render } = deps;

  /** The subject with where it lives and whether the caller owns it; undefined when it does not exist. */
  async function subjectOf(actor: Actor, type: SubjectType, id: string): Promise<SubjectRef | undefined> {
    switch (type) {
      case 'household': {
        const h = await findHouseholdSubject(db, id);
        if (!h) return undefined;
        const loc = { communeId: h.communeId, hamletId: h.hamletId, groupId: h.groupId };
        return { name: `Hộ ${h.headName}`, loc, own: actor.householdId === h.id };
      }
      case 'citizen': {
        const p = await findPersonSubject(db, id);
        if (!p) return undefined;
        const loc = { communeId: p.p.communeId, hamletId: p.hHamlet ?? p.uHamlet ?? null, groupId: p.hGroup ?? null };
        const own = actor.personId === p.p.id || (!!p.p.householdId && actor.householdId === p.p.householdId);
        return { name: p.p.fullName, loc, own };
      }
      case 'clan': {
        const c = await findClanSubject(db, id);
        if (!c) return undefined;
        const loc = { communeId: c.communeId, hamletId: c.hamletId };
        return { name: `Dòng họ ${c.name}`, loc, own: c.headUserId === actor.userId };
      }
      case 'unit': {
        const u = await findUnitSubject(db, id);
        if (!u) return undefined;
        return {
          name: u.name,
          loc: { communeId: u.communeId, hamletId: u.hamletId },
          own: u.headUserId === actor.userId,
        };
      }
      case 'community': {
        const u = await findHamletSubject(db, id);
        if (!u || u.level !== 'hamlet' || !u.parentId) return undefined;
        const own = actor.roles.some((g) => g.role === 'hamlet_head' && g.unitId === u.id);
        return { name: u.name, loc: { communeId: u.parentId, hamletId: u.id }, own };
      }
    }
  }

  /** The commune and the communes that merged into it (their hamlets name them as legacy parent). */
  async function communeAndPredecessors(communeId: string): Promise<string[]> {
    const ids = [communeId];
    let frontier = [communeId];
    for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
      const found = (await legacyParentsOf(db, frontier)).map((u) => u.id).filter((x) => !ids.includes(x));
      ids.push(...found);
      frontier = found;
    }
    return ids;
  }

  /**
   * Whose campaigns could have assessed the subject: with a hamlet, its commune and the commune
   * the hamlet belonged to before the merger (as GET /reports/history does for a hamlet); without
   * one, the commune and all its predecessors.
   */
  async function campaignCommunesOf(loc: Location): Promise<string[]> {
    if (loc.hamletId) {
      const [hamlet] = await findUnits(db, [loc.hamletId]);
      if (hamlet) return [loc.communeId, ...(hamlet.legacyParentId ? [hamlet.legacyParentId] : [])];
    }
    return communeAndPredecessors(loc.communeId);
  }

  async function commendations(
    actor: Actor,
    campaignId: string,
    q: { years?: number | undefined },
  ): Promise<CommendationsDto> {
    const campaign = await findCampaign(db, campaignId);
    if (!campaign || !hasRoleOver(actor, ['officer', 'province_viewer'], { communeId: campaign.communeId }))
      throw notFound();
    const candidates = await repo.commendationCandidates(db, campaignId);
    const setting = campaign.settings.commendationYears;
    const rules: CommendationsDto['rules'] = [];
    const items: CommendationsDto['items'] = [];
    const hamlets = await repo.unitNames(
      db,
      candidates.map((c) => c.hamletId).filter((h): h is string => !!h),
    );
    for (const [type, setId] of Object.entries(campaign.criteriaSetIds) as [SubjectType, string][]) {
      // The engine's consecutive-years honour (the catalog's "tiêu biểu xuất sắc") is the rule
      // when the set names one; the campaign's setting or the query overrides its length.
      const honourRule = compile(await criteriaSets.load(db, setId)).rules.consecutiveYears;
      const rule = q.years
        ? { years: q.years, source: 'query' as const }
        : typeof setting === 'number'
          ? { years: setting, source: 'settings' as const }
          : honourRule
            ? { years: honourRule.years, source: 'criteria' as const }
            : { years: COMMENDATION_YEARS, source: 'default' as const };
      const honour = honourRule && rule.years >= honourRule.years ? honourRule.honour.label : null;
      rules.push({ subjectType: type, ...rule, honour });
      const ofType = candidates.filter((c) => c.subjectType === type);
      const before = await consecutiveYearsBefore(
        db,
        type,
        ofType.map((c) => c.subjectId),
        campaign.year,
      );
      for (const c of ofType) {
        const run = (before.get(c.subjectId) ?? 0) + 1;
        if (run < rule.years) continue;
        items.push({
          assessmentId: c.id,
          subjectType: type,
          subjectId: c.subjectId,
          name: c.subjectName,
          hamletName: c.hamletId ? (hamlets.get(c.hamletId) ?? '') : '',
          title: TITLE_LABELS[type],
          honour,
          consecutiveYears: run,
          years: Array.from({ length: run }, (_, i) => campaign.year - run + 1 + i),
          provisional: c.state !== 'recognised',
        });
      }
    }
    items.sort(
      (a, b) =>
        a.subjectType.localeCompare(b.subjectType) ||
        a.hamletName.localeCompare(b.hamletName, 'vi') ||
        a.name.localeCompare(b.name, 'vi') ||
        a.assessmentId.localeCompare(b.assessmentId),
    );
    const communeName = (await repo.unitNames(db, [campaign.communeId])).get(campaign.communeId) ?? '';
    return { campaignId, year: campaign.year, communeName, rules, items };
  }

  return {
    commendations,

    async subjectHistory(actor: Actor, type: SubjectType, id: string): Promise<SubjectHistoryDto> {
      const subject = await subjectOf(actor, type, id);
      if (!subject || !(subject.own || hasRoleOver(actor, READ_ROLES, subject.loc))) throw notFound();
      const own = await repo.assessmentsOfSubject(db, type, id);
      const communeIds = await campaignCommunesOf(subject.loc);
      const camps = await repo.campaignsOfCommunes(db, communeIds);
      // A year may have campaigns of two communes (the merger): the one the subject took part in wins.
      const byYear = new Map<number, { campaignId: string; communeId: string; open: boolean }>();
      for (const c of camps)
        if (!byYear.has(c.year))
          byYear.set(c.year, { campaignId: c.id, communeId: c.communeId, open: c.status === 'open' });
      const taken = new Map<number, (typeof own)[number]>();
      for (const a of own) {
        const prev = taken.get(a.year);
        if (!prev || a.state === 'recognised') taken.set(a.year, a);
      }
      for (const [year, a] of taken)
        byYear.set(year, { campaignId: a.campaignId, communeId: a.communeId, open: a.campaignStatus === 'open' });
      const names = await repo.unitNames(
        db,
        [...byYear.values()].map((v) => v.communeId),
      );
      const years = [...byYear.entries()]
        .sort(([a], [b]) => b - a)
        .map(([year, c]) => {
          const a = taken.get(year);
          let state: HistoryState = 'not_assessed';
          if (a?.state === 'recognised') state = 'recognised';
          else if (a?.state === 'not_recognised') state = 'not_recognised';
          else if (c.open) state = 'in_progress';
          return {
            year,
            campaignId: c.campaignId,
            communeName: names.get(c.communeId) ?? '',
            state,
            decision:
              a && state !== 'in_progress' && a.decisionNumber && a.decidedOn
                ? { number: a.decisionNumber, decidedOn: a.decidedOn }
                : null,
          };
        });
      // The run ends at the latest decided year; a year still running does not break it.
      let currentRun = 0;
      let next: number | null = null;
      for (const y of years) {
        if (y.state === 'in_progress') continue;
        if (y.state !== 'recognised' || (next !== null && y.year !== next)) break;
        currentRun++;
        next = y.year - 1;
      }
      return { subjectType: type, subjectId: id, name: subject.name, currentRun, years };
    },

    async commendationsXlsx(actor: Actor, campaignId: string, q: { years?: number | undefined }): Promise<FileOut> {
      const data = await commendations(actor, campaignId, q);
      const body = await render({ kind: 'commendations-xlsx', data });
      return {
        fileName: `de-xuat-khen-thuong-${slug(data.communeName)}-${data.year}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        body,
      };
    },
  };
}
export type HistoryService = ReturnType<typeof createHistoryService>;
