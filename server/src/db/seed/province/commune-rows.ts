import { CATALOG_IDS } from '@hoctap/shared/catalog';
import { compile, evaluate, score, type Answers, type EvaluationFacts, type SubjectType } from '@hoctap/shared';
import { mulberry32, personNames, placeName, provinceSeedId as sid, FAMILY } from './names.ts';

/**
 * Everything one commune of the generated province holds, as plain rows in table column order
 * (see `TABLES` in seed-province.ts). Pure and deterministic: the same (commune index, options)
 * gives the same rows, so a rebuilt province is identical.
 */

export interface ProvinceShape {
  provinceId: string;
  provincePath: string;
  year: number;
  communes: number;
  hamletsPerCommune: number;
  groupsPerHamlet: number;
  /** Households in the whole province; spread evenly over the communes and their tổ. */
  households: number;
}

export type Row = unknown[];
export interface CommuneRows {
  adminUnits: Row[];
  clans: Row[];
  units: Row[];
  households: Row[];
  persons: Row[];
  users: Row[];
  roles: Row[];
  campaigns: Row[];
  assessments: Row[];
  answers: Row[];
  decisions: Row[];
  audit: Row[];
  outbox: Row[];
  inbox: Row[];
}

/** How far a hamlet has got in the campaign; every state of the workflow appears somewhere. */
import {
  CDHT_GROUPS,
  DAY,
  UNIT_KINDS,
  householdsOf,
  messageHistory,
  pickState,
  sets,
  stepsOf,
  stageOf,
} from './commune-plan.ts';
export { householdsOf, campaignDates } from './commune-plan.ts';
import { campaignDates } from './commune-plan.ts';

export function buildCommune(shape: ProvinceShape, c: number): CommuneRows {
  const rnd = mulberry32(0x5eed0000 + c);
  const names = personNames(rnd);
  const chance = (p: number) => rnd() < p;
  const { year } = shape;
  const dates = campaignDates(year);
  const created = new Date(Date.UTC(year, 6, 1));
  const out: CommuneRows = {
    adminUnits: [],
    clans: [],
    units: [],
    households: [],
    persons: [],
    users: [],
    roles: [],
    campaigns: [],
    assessments: [],
    answers: [],
    decisions: [],
    audit: [],
    outbox: [],
    inbox: [],
  };

  // ---- administrative tree
  const communeId = sid(`commune:${c}`);
  const communeName = `Xã ${placeName(c)}`;
  const communePath = `${shape.provincePath}${communeId}/`;
  out.adminUnits.push([
    communeId,
    'commune',
    'xã',
    communeName,
    `SIM${String(c + 1).padStart(3, '0')}`,
    shape.provinceId,
    communePath,
    '2025-07-01',
    created,
  ]);
  const hamlets = Array.from({ length: shape.hamletsPerCommune }, (_, h) => {
    const id = sid(`hamlet:${c}:${h}`);
    const path = `${communePath}${id}/`;
    const name = `Ấp ${placeName(h, c * 7)}${h >= 100 ? ` ${Math.floor(h / 100) + 1}` : ''}`;
    out.adminUnits.push([id, 'hamlet', 'ấp', name, null, communeId, path, '2025-07-01', created]);
    const groups = Array.from({ length: shape.groupsPerHamlet }, (_, g) => {
      const gid = sid(`group:${c}:${h}:${g}`);
      out.adminUnits.push([
        gid,
        'group',
        'tổ nhân dân tự quản',
        `Tổ ${g + 1}`,
        null,
        id,
        `${path}${gid}/`,
        '2025-07-01',
        created,
      ]);
      return { id: gid, index: g };
    });
    return { id, index: h, name, groups, stage: stageOf(h) };
  });

  // ---- users and roles
  const user = (
    id: string,
    displayName: string,
    extra: { phone?: string; householdId?: string; personId?: string } = {},
  ) =>
    out.users.push([
      id,
      displayName,
      extra.phone ?? null,
      extra.householdId ?? null,
      extra.personId ?? null,
      created,
      created,
    ]);
  const role = (userId: string, r: string, unitId: string) =>
    out.roles.push([sid(`role:${userId}:${r}:${unitId}`), userId, r, unitId, created]);
  const officerId = sid(`user:officer:${c}`);
  user(officerId, `Cán bộ ${communeName}`);
  role(officerId, 'officer', communeId);
  const leaderOf = new Map<string, string>();
  for (const h of hamlets) {
    const headId = sid(`user:hamlet-head:${c}:${h.index}`);
    user(headId, names.male());
    role(headId, 'hamlet_head', h.id);
    for (const g of h.groups) {
      const leaderId = sid(`user:leader:${c}:${h.index}:${g.index}`);
      user(leaderId, names.female());
      role(leaderId, 'leader', g.id);
      leaderOf.set(g.id, leaderId);
    }
  }

  // ---- clans (two per hamlet) and units (ten per commune)
  const clansByHamlet = new Map<string, string[]>();
  const clanList: { id: string; name: string; hamlet: (typeof hamlets)[number] }[] = [];
  for (const h of hamlets) {
    const ids: string[] = [];
    for (let k = 0; k < 2; k++) {
      const id = sid(`clan:${c}:${h.index}:${k}`);
      const family = FAMILY[(h.index * 2 + k) % FAMILY.length]!;
      const name = `Dòng họ ${family} (${h.name})`;
      const headUserId = sid(`user:clan-head:${c}:${h.index}:${k}`);
      user(headUserId, names.male(family));
      out.clans.push([id, communeId, h.id, name, names.male(family), headUserId, created, created]);
      ids.push(id);
      clanList.push({ id, name, hamlet: h });
    }
    clansByHamlet.set(h.id, ids);
  }
  const unitList = UNIT_KINDS.map(([label, type], k) => {
    const id = sid(`unit:${c}:${k}`);
    const hamlet = hamlets[k % hamlets.length]!;
    const name = `${label} ${placeName(c)}`;
    const headUserId = sid(`user:unit-head:${c}:${k}`);
    user(headUserId, names.male());
    out.units.push([
      id,
      communeId,
      hamlet.id,
      name,
      type,
      names.male(),
      headUserId,
      10 + Math.floor(rnd() * 40),
      created,
      created,
    ]);
    return { id, name, hamlet };
  });

  // ---- households and their members
  const total = householdsOf(shape, c);
  const allGroups = hamlets.flatMap((h) => h.groups.map((g) => ({ hamlet: h, group: g })));
  const households: {
    id: string;
    head: string;
    hamlet: (typeof hamlets)[number];
    groupId: string;
    clanId: string | null;
  }[] = [];
  const citizens: { id: string; name: string; group: string; hamlet: (typeof hamlets)[number]; groupId: string }[] = [];
  for (let i = 0; i < total; i++) {
    const { hamlet, group } = allGroups[i % allGroups.length]!;
    const id = sid(`household:${c}:${i}`);
    const family = names.family();
    const head = names.male(family);
    const members = 1 + Math.floor(rnd() * 4);
    const phone = chance(0.6) ? `09${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}` : null;
    const clanIds = clansByHamlet.get(hamlet.id)!;
    const clanId = chance(0.3) ? clanIds[i % clanIds.length]! : null;
    out.households.push([
      id,
      communeId,
      hamlet.id,
      group.id,
      head,
      `Số ${i + 1}, ${hamlet.name}`,
      members,
      phone,
      clanId,
      `SIM-${c}-${i}`,
      created,
      created,
    ]);
    households.push({ id, head, hamlet, groupId: group.id, clanId });
    for (let m = 0; m < members; m++) {
      const pid = sid(`person:${c}:${i}:${m}`);
      const adult = m < 2;
      const fullName =
        m === 0 ? head : m === 1 ? names.female() : chance(0.5) ? names.male(family) : names.female(family);
      const cdhtGroup = adult && chance(0.5) ? CDHT_GROUPS[Math.floor(rnd() * CDHT_GROUPS.length)]! : null;
      out.persons.push([
        pid,
        communeId,
        id,
        null,
        fullName,
        adult ? 1960 + Math.floor(rnd() * 40) : 2008 + Math.floor(rnd() * 15),
        m === 0 ? 'chủ hộ' : m === 1 ? 'vợ' : 'con',
        adult ? null : chance(0.95),
        cdhtGroup,
        adult && chance(0.2),
        created,
      ]);
      if (cdhtGroup && chance(0.04))
        citizens.push({ id: pid, name: fullName, group: cdhtGroup, hamlet, groupId: group.id });
    }
    // One household in ten uses the mini app.
    if (i % 10 === 0) user(sid(`user:household:${c}:${i}`), head, { householdId: id, ...(phone ? { phone } : {}) });
  }

  // ---- campaign
  const campaignId = sid(`campaign:${c}:${year}`);
  out.campaigns.push([
    campaignId,
    communeId,
    year,
    `Đánh giá, công nhận danh hiệu học tập năm ${year}`,
    { ...CATALOG_IDS },
    dates.registrationOpensAt,
    dates.selfAssessmentDueAt,
    dates.verificationDueAt,
    dates.recognitionDueAt,
    dates.reportDueAt,
    'open',
    officerId,
    created,
    created,
  ]);

  // ---- assessments over every state, with answers scored by the shared engine
  // One decision per title, except households: a decision per pair of hamlets (~400 households),
  // as communes that decide hamlet by hamlet do.
  interface DecisionTally {
    id: string;
    type: SubjectType;
    number: string;
    recognised: number;
    notRecognised: number;
  }
  const decisions = new Map<string, DecisionTally>();
  const decisionFor = (type: SubjectType, hamlet: (typeof hamlets)[number]): DecisionTally => {
    const key = type === 'household' ? `household:${Math.floor(hamlet.index / 2)}` : type;
    let d = decisions.get(key);
    if (!d) {
      d = {
        id: sid(`decision:${c}:${year}:${key}`),
        type,
        number: `${decisions.size + 1}/QĐ-UBND`,
        recognised: 0,
        notRecognised: 0,
      };
      decisions.set(key, d);
    }
    return d;
  };

  const assess = (
    type: SubjectType,
    subjectId: string,
    subjectName: string,
    hamlet: (typeof hamlets)[number],
    groupId: string | null,
    verifierId: string,
    subjectGroup: string | null = null,
    facts: EvaluationFacts = {},
  ): boolean => {
    const id = sid(`assessment:${c}:${type}:${subjectId}`);
    const set = sets[type];
    const view = compile(set).views.get(subjectGroup ?? '')!;
    const state = pickState(hamlet.stage, rnd);
    const answered = state === 'draft' ? Math.floor(rnd() * view.indicators.length) : view.indicators.length;
    const answers: Record<string, { points: number | null }> = {};
    const good = chance(0.85);
    view.indicators.forEach((ci, k) => {
      if (k >= answered) return;
      const options = ci.allowed ?? stepsOf(ci.maxPoints, ci.step);
      const top = Math.max(...options);
      answers[ci.code] = { points: good || chance(0.7) ? top : options[Math.floor(rnd() * options.length)]! };
    });
    const s = score(set, answers as Answers, {
      checkEvidence: false,
      ...(subjectGroup ? { group: subjectGroup } : {}),
    });
    const submittedAt =
      state === 'draft' ? null : new Date(dates.registrationOpensAt.getTime() + (5 + Math.floor(rnd() * 40)) * DAY);
    const verified = ['verified', 'reviewed', 'appealed', 'recognised', 'not_recognised'].includes(state);
    let finalState = state;
    let verdict: unknown = s.verdict;
    let decision: string | null = null;
    let certificateNo: string | null = null;
    const decidedAt = new Date(Date.UTC(year, 10, 14, 9));
    if (state === 'recognised') {
      const d = evaluate(set, s, facts);
      finalState = d.recognised ? 'recognised' : 'not_recognised';
      verdict = d;
      const tally = decisionFor(type, hamlet);
      decision = tally.id;
      if (d.recognised) certificateNo = `${tally.number}/${++tally.recognised}`;
      else tally.notRecognised++;
    }
    const version =
      { draft: 1, submitted: 2, returned: 3, resubmitted: 4, verified: 3, reviewed: 4, appealed: 5, withdrawn: 2 }[
        finalState as string
      ] ?? 5;
    const selfTotal = state === 'draft' ? null : s.total;
    out.assessments.push([
      id,
      campaignId,
      type,
      subjectId,
      subjectName,
      communeId,
      hamlet.id,
      groupId,
      set.id,
      subjectGroup,
      finalState,
      version,
      selfTotal,
      verified ? s.total : null,
      decision ? s.total : null,
      verdict,
      submittedAt,
      verified ? new Date(submittedAt!.getTime() + 3 * DAY) : null,
      verified ? verifierId : null,
      decision ? decidedAt : null,
      decision,
      certificateNo,
      officerId,
      created,
      submittedAt ?? created,
    ]);
    const at = submittedAt ?? created;
    for (const [code, a] of Object.entries(answers)) {
      out.answers.push([id, 'self', code, a.points, null, null, officerId, at]);
      if (verified) out.answers.push([id, 'verifier', code, a.points, null, null, verifierId, at]);
    }
    if (submittedAt) {
      out.audit.push([
        submittedAt,
        officerId,
        null,
        'submit',
        'assessment',
        id,
        { from: 'draft', to: 'submitted', selfTotal },
      ]);
      if (verified)
        out.audit.push([
          new Date(submittedAt.getTime() + 3 * DAY),
          verifierId,
          null,
          'verify',
          'assessment',
          id,
          { to: 'verified' },
        ]);
      if (decision)
        out.audit.push([
          decidedAt,
          officerId,
          null,
          finalState === 'recognised' ? 'recognise' : 'not_recognise',
          'assessment',
          id,
          { decisionId: decision },
        ]);
    }
    return finalState === 'recognised';
  };

  // Prerequisite facts of clans and hamlets: their member households recognised this year.
  const members = new Map<string, { total: number; withTitle: number }>();
  const tally = (key: string, recognised: boolean) => {
    const m = members.get(key) ?? { total: 0, withTitle: 0 };
    m.total++;
    if (recognised) m.withTitle++;
    members.set(key, m);
  };
  for (const h of households) {
    const recognised = chance(0.8) && assess('household', h.id, h.head, h.hamlet, h.groupId, leaderOf.get(h.groupId)!);
    tally(h.hamlet.id, recognised);
    if (h.clanId) tally(h.clanId, recognised);
  }
  const factsOf = (key: string): EvaluationFacts => ({
    memberShares: { householdsWithGdht: members.get(key) ?? { total: 0, withTitle: 0 } },
  });
  for (const cl of clanList)
    if (chance(0.8)) assess('clan', cl.id, cl.name, cl.hamlet, null, officerId, null, factsOf(cl.id));
  for (const u of unitList) if (chance(0.8)) assess('unit', u.id, u.name, u.hamlet, null, officerId);
  for (const h of hamlets) assess('community', h.id, h.name, h, null, officerId, null, factsOf(h.id));
  for (const p of citizens) assess('citizen', p.id, p.name, p.hamlet, p.groupId, leaderOf.get(p.groupId)!, p.group);

  for (const d of decisions.values()) {
    out.decisions.push([
      d.id,
      campaignId,
      d.type,
      d.number,
      `${year}-11-14`,
      names.male(),
      'Chủ tịch UBND xã',
      d.recognised,
      d.notRecognised,
      officerId,
      new Date(Date.UTC(year, 10, 14, 9)),
    ]);
  }

  messageHistory(out, { c, communeId, campaignId, year, hamlets, dates });
  return out;
}
