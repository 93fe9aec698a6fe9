import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db } from '@hoctap/server/db/types.ts';
import {
  adminUnits,
  assessmentCounts,
  assessments,
  campaigns,
  clans,
  decisions,
  evidence,
  households,
  persons,
  roleAssignments,
  units,
  users,
  type SubjectType,
} from '@hoctap/server/db/schema/index.ts';
import { evidenceBlobKey, FsBlobStore } from '@hoctap/server/storage/index.ts';

/*
 * Report fixture: rows inserted directly (no workflow routes), and the assessment_counts rows
 * derived from the assessments exactly as the workflow maintains them (+1 at hamlet, commune and
 * province per assessment and state). Everything a test needs to recompute figures on its own is
 * returned as plain arrays.
 *
 * Province P ── Xã Mỹ Hòa (C, since 2025-07-01; merged from Xã Mỹ An + Xã Hòa Bình)
 *            │    ├─ Ấp Mỹ Thạnh (H1, legacy parent Xã Mỹ An)  ─ Tổ 1, Tổ 2
 *            │    └─ Ấp Mỹ Phú   (H2, legacy parent Xã Hòa Bình) ─ Tổ 1, Tổ 2
 *            ├── Xã Bình Thạnh (C2, the "other commune" for scope denials; QĐ 387 preset)
 *            └── Xã Mỹ An, Xã Hòa Bình (ended 2025-06-30; 2024 campaigns with counts only)
 */

export const NOW = new Date('2026-11-12T03:00:00.000Z');
export const YEAR = 2026;
export const SELF_DUE = new Date('2026-09-30T16:59:59.000Z');
export const VERIFY_DUE = new Date('2026-10-20T16:59:59.000Z');

const h = (iso: string) => new Date(iso);
const addHours = (d: Date, hours: number) => new Date(d.getTime() + hours * 3_600_000);

export interface FxAssessment {
  id: string;
  campaignId: string;
  subjectType: SubjectType;
  subjectId: string;
  subjectName: string;
  communeId: string;
  hamletId: string | null;
  groupId: string | null;
  state: string;
  selfTotal: number | null;
  verifiedTotal: number | null;
  submittedAt: Date | null;
  verifiedAt: Date | null;
  decisionId: string | null;
  certificateNo: string | null;
}

export interface FxEvidence {
  id: string;
  assessmentId: string;
  householdId: string;
  householdName: string;
  hamletId: string;
  indicatorCode: string;
  sha256: string;
  bytes: Buffer;
  deleted: boolean;
}

export interface HistoryCount {
  campaignId: string;
  year: number;
  unitId: string;
  subjectType: SubjectType;
  state: string;
  n: number;
}

type HhSpec = {
  name: string;
  hamlet: 'H1' | 'H2';
  group: 'G11' | 'G12' | 'G21' | 'G22';
  clan?: 'K1' | 'K2';
  members: { name: string; worker: boolean; cdht?: string }[];
  a?: {
    state: string;
    self?: number;
    ver?: number;
    sub?: string;
    turnaroundH?: number;
    cert?: string;
    decided?: boolean;
  };
  photos?: string[];
};

/** Households of Xã Mỹ Hòa. `cdht` is the state of the member's own Công dân học tập assessment. */
export const HOUSEHOLD_SPECS: HhSpec[] = [
  {
    name: 'Nguyễn Thị Hường',
    hamlet: 'H1',
    group: 'G11',
    clan: 'K1',
    members: [
      { name: 'Nguyễn Thị Hường', worker: true, cdht: 'recognised' },
      { name: 'Lê Văn Tâm', worker: true },
    ],
    a: {
      state: 'recognised',
      self: 92,
      ver: 90,
      sub: '2026-09-10T01:00:00Z',
      turnaroundH: 24,
      cert: 'GĐHT-2026-001',
      decided: true,
    },
    photos: ['1.1', '1.2'],
  },
  {
    name: 'Trần Văn Đức',
    hamlet: 'H1',
    group: 'G11',
    clan: 'K1',
    members: [
      { name: 'Trần Văn Đức', worker: true, cdht: 'recognised' },
      { name: 'Trần Thị Mai', worker: false },
    ],
    a: {
      state: 'recognised',
      self: 88,
      ver: 85,
      sub: '2026-09-12T02:00:00Z',
      turnaroundH: 48,
      cert: 'GĐHT-2026-002',
      decided: true,
    },
    photos: ['1.1'],
  },
  {
    name: 'Lê Thị Ánh Tuyết',
    hamlet: 'H1',
    group: 'G11',
    members: [],
    a: { state: 'submitted', self: 81, sub: '2026-09-20T03:00:00Z' },
    photos: ['2.1'],
  },
  {
    name: 'Phạm Văn Lộc',
    hamlet: 'H1',
    group: 'G12',
    clan: 'K2',
    members: [{ name: 'Phạm Văn Lộc', worker: true, cdht: 'submitted' }],
    a: { state: 'verified', self: 80, ver: 72, sub: '2026-09-28T04:00:00Z', turnaroundH: 72 },
  },
  { name: 'Võ Thị Ngọc Hạnh', hamlet: 'H1', group: 'G12', members: [], a: { state: 'draft' } },
  { name: 'Đặng Văn Sơn', hamlet: 'H1', group: 'G12', members: [] },
  {
    name: 'Huỳnh Thị Mỹ Dung',
    hamlet: 'H2',
    group: 'G21',
    clan: 'K2',
    members: [{ name: 'Huỳnh Thị Mỹ Dung', worker: true, cdht: 'recognised' }],
    a: {
      state: 'recognised',
      self: 95,
      ver: 95,
      sub: '2026-10-05T05:00:00Z',
      turnaroundH: 96,
      cert: 'GĐHT-2026-003',
      decided: true,
    },
    photos: ['3.1'],
  },
  {
    name: 'Bùi Văn Thành',
    hamlet: 'H2',
    group: 'G21',
    members: [{ name: 'Bùi Văn Thành', worker: true }],
    a: { state: 'not_recognised', self: 70, ver: 60, sub: '2026-09-15T06:00:00Z', turnaroundH: 120, decided: true },
  },
  // A head name that is also a spreadsheet formula: exports must neutralise it.
  {
    name: '=HYPERLINK("http://x.invalid","Ngô Văn Hải")',
    hamlet: 'H2',
    group: 'G22',
    members: [{ name: 'Ngô Văn Hải', worker: true }],
    a: {
      state: 'recognised',
      self: 85,
      ver: 84,
      sub: '2026-09-29T07:00:00Z',
      turnaroundH: 10,
      cert: 'GĐHT-2026-004',
      decided: true,
    },
  },
  {
    name: 'Đỗ Thị Thu',
    hamlet: 'H2',
    group: 'G22',
    members: [],
    a: { state: 'resubmitted', self: 78, sub: '2026-10-01T08:00:00Z' },
  },
  { name: 'Hồ Văn Bảy', hamlet: 'H2', group: 'G22', members: [] },
];

function jpeg(seed: number): Promise<Buffer> {
  return sharp({
    create: {
      width: 16,
      height: 12,
      channels: 3,
      background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 31) % 256 },
    },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export async function seedReportFixture(db: Db, blobRoot: string) {
  const id = () => randomUUID();
  const P = id(),
    C = id(),
    H1 = id(),
    H2 = id(),
    G11 = id(),
    G12 = id(),
    G21 = id(),
    G22 = id();
  const A = id(),
    B = id(); // pre-merger communes
  const C2 = id(),
    H3 = id(),
    G31 = id();
  const pP = `/${P}/`,
    pC = `${pP}${C}/`,
    pC2 = `${pP}${C2}/`;
  await db.insert(adminUnits).values([
    { id: P, level: 'province', kind: 'tỉnh', name: 'Tỉnh Đồng Tháp (thử nghiệm)', path: pP },
    {
      id: A,
      level: 'commune',
      kind: 'xã',
      name: 'Xã Mỹ An',
      parentId: P,
      path: `${pP}${A}/`,
      effectiveTo: '2025-06-30',
    },
    {
      id: B,
      level: 'commune',
      kind: 'xã',
      name: 'Xã Hòa Bình',
      parentId: P,
      path: `${pP}${B}/`,
      effectiveTo: '2025-06-30',
    },
    { id: C, level: 'commune', kind: 'xã', name: 'Xã Mỹ Hòa', parentId: P, path: pC, effectiveFrom: '2025-07-01' },
    { id: H1, level: 'hamlet', kind: 'ấp', name: 'Ấp Mỹ Thạnh', parentId: C, legacyParentId: A, path: `${pC}${H1}/` },
    { id: H2, level: 'hamlet', kind: 'ấp', name: 'Ấp Mỹ Phú', parentId: C, legacyParentId: B, path: `${pC}${H2}/` },
    {
      id: G11,
      level: 'group',
      kind: 'tổ nhân dân tự quản',
      name: 'Tổ 1 Mỹ Thạnh',
      parentId: H1,
      path: `${pC}${H1}/${G11}/`,
    },
    {
      id: G12,
      level: 'group',
      kind: 'tổ nhân dân tự quản',
      name: 'Tổ 2 Mỹ Thạnh',
      parentId: H1,
      path: `${pC}${H1}/${G12}/`,
    },
    {
      id: G21,
      level: 'group',
      kind: 'tổ nhân dân tự quản',
      name: 'Tổ 1 Mỹ Phú',
      parentId: H2,
      path: `${pC}${H2}/${G21}/`,
    },
    {
      id: G22,
      level: 'group',
      kind: 'tổ nhân dân tự quản',
      name: 'Tổ 2 Mỹ Phú',
      parentId: H2,
      path: `${pC}${H2}/${G22}/`,
    },
    {
      id: C2,
      level: 'commune',
      kind: 'xã',
      name: 'Xã Bình Thạnh',
      parentId: P,
      path: pC2,
      settings: { targetPreset: 'qd-387' },
    },
    { id: H3, level: 'hamlet', kind: 'ấp', name: 'Ấp Bình Hòa', parentId: C2, path: `${pC2}${H3}/` },
    {
      id: G31,
      level: 'group',
      kind: 'tổ nhân dân tự quản',
      name: 'Tổ 1 Bình Hòa',
      parentId: H3,
      path: `${pC2}${H3}/${G31}/`,
    },
  ]);
  const hamletOf = { H1, H2 } as const;
  const groupOf = { G11, G12, G21, G22 } as const;

  // ---- users and roles
  const u = {
    officer: id(),
    officer2: id(),
    hamletHead: id(),
    leader: id(),
    leader2: id(),
    viewer: id(),
    admin: id(),
    household: id(),
  };
  await db.insert(users).values([
    { id: u.officer, displayName: 'Cán bộ xã Mỹ Hòa', devLogin: true },
    { id: u.officer2, displayName: 'Cán bộ xã Bình Thạnh', devLogin: true },
    { id: u.hamletHead, displayName: 'Trưởng ấp Mỹ Thạnh', devLogin: true },
    { id: u.leader, displayName: 'Tổ trưởng Trương Văn Mười', devLogin: true },
    { id: u.leader2, displayName: 'Tổ trưởng Phan Thị Lụa', devLogin: true },
    { id: u.viewer, displayName: 'Cán bộ tỉnh', devLogin: true },
    { id: u.admin, displayName: 'Quản trị', devLogin: true },
    { id: u.household, displayName: 'Hộ Nguyễn Thị Hường', devLogin: true },
  ]);
  await db.insert(roleAssignments).values([
    { id: id(), userId: u.officer, role: 'officer', unitId: C },
    { id: id(), userId: u.officer2, role: 'officer', unitId: C2 },
    { id: id(), userId: u.hamletHead, role: 'hamlet_head', unitId: H1 },
    { id: id(), userId: u.leader, role: 'leader', unitId: G11 },
    { id: id(), userId: u.leader2, role: 'leader', unitId: G21 },
    { id: id(), userId: u.viewer, role: 'province_viewer', unitId: P },
    { id: id(), userId: u.admin, role: 'admin', unitId: P },
  ]);

  // ---- registry
  const K1 = id(),
    K2 = id();
  const clanRows = [
    { id: K1, communeId: C, hamletId: H1, name: 'Họ Nguyễn ấp Mỹ Thạnh', headName: 'Nguyễn Văn Tộc' },
    { id: K2, communeId: C, hamletId: H2, name: 'Họ Phạm ấp Mỹ Phú', headName: 'Phạm Văn Trưởng' },
  ];
  await db.insert(clans).values(clanRows);
  const clanOf = { K1, K2 } as const;
  const U1 = id(),
    U2 = id(),
    U3 = id();
  const unitRows = [
    {
      id: U1,
      communeId: C,
      hamletId: H1,
      name: 'Trường Tiểu học Mỹ Hòa',
      type: 'school' as const,
      headName: 'Mai Văn Hiệu',
      staffCount: 2,
    },
    {
      id: U2,
      communeId: C,
      hamletId: H2,
      name: 'Hợp tác xã Mỹ Phú',
      type: 'cooperative' as const,
      headName: 'Châu Văn Tài',
      staffCount: 1,
    },
    {
      id: U3,
      communeId: C,
      hamletId: null,
      name: 'Trạm Y tế xã Mỹ Hòa',
      type: 'agency' as const,
      headName: 'Lâm Thị Y',
      staffCount: 0,
    },
  ];
  await db.insert(units).values(unitRows);

  const householdRows = HOUSEHOLD_SPECS.map((s, i) => ({
    id: id(),
    communeId: C,
    hamletId: hamletOf[s.hamlet],
    groupId: groupOf[s.group],
    headName: s.name,
    address: `Số ${i + 1}, ${s.hamlet === 'H1' ? 'ấp Mỹ Thạnh' : 'ấp Mỹ Phú'}`,
    memberCount: Math.max(1, s.members.length),
    clanId: s.clan ? clanOf[s.clan] : null,
    externalKey: `ma:mh-${i + 1}`,
  }));
  const otherHouseholds = [
    {
      id: id(),
      communeId: C2,
      hamletId: H3,
      groupId: G31,
      headName: 'Phạm Văn Khác',
      address: 'Số 1, ấp Bình Hòa',
      clanId: null,
      externalKey: 'ma:bt-1',
      memberCount: 1,
    },
    {
      id: id(),
      communeId: C2,
      hamletId: H3,
      groupId: G31,
      headName: 'Lý Thị Xa',
      address: 'Số 2, ấp Bình Hòa',
      clanId: null,
      externalKey: 'ma:bt-2',
      memberCount: 1,
    },
  ];
  await db.insert(households).values([...householdRows, ...otherHouseholds]);
  await db.update(users).set({ householdId: householdRows[0]!.id }).where(eq(users.id, u.household));

  type PersonRow = {
    id: string;
    communeId: string;
    householdId: string | null;
    unitId: string | null;
    fullName: string;
    isWorker: boolean;
    cdht?: string;
  };
  const personRows: PersonRow[] = [];
  HOUSEHOLD_SPECS.forEach((s, i) =>
    s.members.forEach((m) =>
      personRows.push({
        id: id(),
        communeId: C,
        householdId: householdRows[i]!.id,
        unitId: null,
        fullName: m.name,
        isWorker: m.worker,
        cdht: m.cdht,
      }),
    ),
  );
  personRows.push(
    {
      id: id(),
      communeId: C,
      householdId: null,
      unitId: U1,
      fullName: 'Lý Thị Hoa',
      isWorker: true,
      cdht: 'recognised',
    },
    { id: id(), communeId: C, householdId: null, unitId: U1, fullName: 'Mai Văn Bình', isWorker: true },
    {
      id: id(),
      communeId: C,
      householdId: null,
      unitId: U2,
      fullName: 'Châu Văn Tài',
      isWorker: true,
      cdht: 'recognised',
    },
  );
  await db.insert(persons).values(personRows.map(({ cdht: _c, ...p }) => p));

  // ---- campaigns and decisions
  const campaign = {
    id: id(),
    communeId: C,
    year: YEAR,
    title: 'Đánh giá, công nhận danh hiệu học tập năm 2026',
    criteriaSetIds: { household: 'gdht-448-2015-v1' },
    registrationOpensAt: h('2026-08-01T00:00:00Z'),
    selfAssessmentDueAt: SELF_DUE,
    verificationDueAt: VERIFY_DUE,
    recognitionDueAt: h('2026-11-15T16:59:59Z'),
    reportDueAt: h('2026-11-15T16:59:59Z'),
    createdBy: u.officer,
  };
  const campaign2 = { ...campaign, id: id(), communeId: C2, createdBy: u.officer2 };
  const oldA = { ...campaign, id: id(), communeId: A, year: 2024, title: 'Năm 2024 (xã Mỹ An)' };
  const oldB = { ...campaign, id: id(), communeId: B, year: 2024, title: 'Năm 2024 (xã Hòa Bình)' };
  await db.insert(campaigns).values([campaign, campaign2, oldA, oldB]);

  const decisionHh = {
    id: id(),
    campaignId: campaign.id,
    subjectType: 'household' as const,
    number: '25/QĐ-UBND',
    decidedOn: '2026-11-10',
    signer: 'Nguyễn Văn Quyết',
    signerTitle: 'Chủ tịch UBND xã Mỹ Hòa',
    recognisedCount: 4,
    notRecognisedCount: 1,
    createdBy: u.officer,
    createdAt: h('2026-11-10T02:00:00Z'),
  };
  const decisionUnit = {
    id: id(),
    campaignId: campaign.id,
    subjectType: 'unit' as const,
    number: '26/QĐ-UBND',
    decidedOn: '2026-11-10',
    signer: 'Nguyễn Văn Quyết',
    signerTitle: 'Chủ tịch UBND xã Mỹ Hòa',
    recognisedCount: 1,
    notRecognisedCount: 0,
    createdBy: u.officer,
    createdAt: h('2026-11-10T02:00:00Z'),
  };
  const decisionOther = {
    id: id(),
    campaignId: campaign2.id,
    subjectType: 'household' as const,
    number: '9/QĐ-UBND',
    decidedOn: '2026-11-09',
    signer: 'Trần Văn Khác',
    signerTitle: 'Chủ tịch UBND xã Bình Thạnh',
    recognisedCount: 1,
    notRecognisedCount: 0,
    createdBy: u.officer2,
    createdAt: h('2026-11-09T02:00:00Z'),
  };
  await db.insert(decisions).values([decisionHh, decisionUnit, decisionOther]);

  // ---- assessments
  const list: FxAssessment[] = [];
  const base = (
    campaignId: string,
    subjectType: SubjectType,
    subjectId: string,
    subjectName: string,
    communeId: string,
    hamletId: string | null,
    groupId: string | null,
  ) =>
    ({
      id: id(),
      campaignId,
      subjectType,
      subjectId,
      subjectName,
      communeId,
      hamletId,
      groupId,
      state: 'draft',
      selfTotal: null,
      verifiedTotal: null,
      submittedAt: null,
      verifiedAt: null,
      decisionId: null,
      certificateNo: null,
    }) as FxAssessment;
  HOUSEHOLD_SPECS.forEach((s, i) => {
    if (!s.a) return;
    const hh = householdRows[i]!;
    const sub = s.a.sub ? h(s.a.sub) : null;
    list.push({
      ...base(campaign.id, 'household', hh.id, s.name, C, hh.hamletId, hh.groupId),
      state: s.a.state,
      selfTotal: s.a.self ?? null,
      verifiedTotal: s.a.ver ?? null,
      submittedAt: sub,
      verifiedAt: sub && s.a.turnaroundH !== undefined ? addHours(sub, s.a.turnaroundH) : null,
      decisionId: s.a.decided ? decisionHh.id : null,
      certificateNo: s.a.cert ?? null,
    });
  });
  const simple = (
    subjectType: SubjectType,
    subjectId: string,
    name: string,
    hamletId: string | null,
    state: string,
    extra: Partial<FxAssessment> = {},
  ) =>
    list.push({
      ...base(campaign.id, subjectType, subjectId, name, C, hamletId, null),
      state,
      submittedAt: h('2026-09-25T00:00:00Z'),
      ...extra,
    });
  simple('clan', K1, clanRows[0]!.name, H1, 'recognised', { certificateNo: 'DHHT-2026-001' });
  simple('clan', K2, clanRows[1]!.name, H2, 'submitted');
  simple('community', H1, 'Ấp Mỹ Thạnh', H1, 'recognised', { certificateNo: 'CĐHT-2026-001' });
  simple('community', H2, 'Ấp Mỹ Phú', H2, 'verified');
  simple('unit', U1, unitRows[0]!.name, H1, 'recognised', {
    decisionId: decisionUnit.id,
    certificateNo: 'ĐVHT-2026-001',
  });
  simple('unit', U2, unitRows[1]!.name, H2, 'submitted');
  for (const p of personRows) {
    if (!p.cdht) continue;
    const hamletId = p.householdId
      ? householdRows.find((x) => x.id === p.householdId)!.hamletId
      : unitRows.find((x) => x.id === p.unitId)!.hamletId;
    simple('citizen', p.id, p.fullName, hamletId, p.cdht);
  }
  // The other commune: one recognised, one draft.
  list.push(
    {
      ...base(campaign2.id, 'household', otherHouseholds[0]!.id, 'Phạm Văn Khác', C2, H3, G31),
      state: 'recognised',
      selfTotal: 90,
      verifiedTotal: 90,
      submittedAt: h('2026-09-10T00:00:00Z'),
      verifiedAt: h('2026-09-11T00:00:00Z'),
      decisionId: decisionOther.id,
      certificateNo: 'BT-2026-001',
    },
    { ...base(campaign2.id, 'household', otherHouseholds[1]!.id, 'Lý Thị Xa', C2, H3, G31), state: 'draft' },
  );
  await db.insert(assessments).values(
    list.map((a) => ({
      ...a,
      criteriaSetId: 'gdht-448-2015-v1',
      createdBy: u.officer,
      decidedAt: a.decisionId ? h('2026-11-10T02:00:00Z') : null,
      verdict: null,
    })),
  );

  // ---- assessment_counts, as the workflow maintains them: one row per level the subject sits in
  const provinceOf = new Map<string, string>([
    [C, P],
    [C2, P],
    [A, P],
    [B, P],
  ]);
  const counts = new Map<
    string,
    { campaignId: string; unitId: string; subjectType: SubjectType; state: string; n: number }
  >();
  const bump = (campaignId: string, unitId: string, subjectType: SubjectType, state: string, n: number) => {
    const k = `${campaignId}|${unitId}|${subjectType}|${state}`;
    const row = counts.get(k) ?? { campaignId, unitId, subjectType, state, n: 0 };
    row.n += n;
    counts.set(k, row);
  };
  for (const a of list) {
    for (const unitId of [a.hamletId, a.communeId, provinceOf.get(a.communeId)!])
      if (unitId) bump(a.campaignId, unitId, a.subjectType, a.state, 1);
  }
  // 2024, before the merger: counts only (the assessments themselves are long archived).
  const history: HistoryCount[] = [];
  const old = (c: typeof oldA, hamletId: string, subjectType: SubjectType, state: string, n: number) => {
    for (const unitId of [hamletId, c.communeId, P]) {
      bump(c.id, unitId, subjectType, state, n);
      history.push({ campaignId: c.id, year: c.year, unitId, subjectType, state, n });
    }
  };
  old(oldA, H1, 'household', 'recognised', 3);
  old(oldA, H1, 'household', 'verified', 1);
  old(oldA, H1, 'household', 'draft', 1);
  old(oldA, H1, 'community', 'recognised', 1);
  old(oldB, H2, 'household', 'recognised', 2);
  old(oldB, H2, 'household', 'not_recognised', 1);
  old(oldB, H2, 'clan', 'recognised', 1);
  await db.insert(assessmentCounts).values([...counts.values()]);

  // ---- evidence photos (real JPEGs in the blob store) for some households
  const store = new FsBlobStore(blobRoot);
  const evidenceList: FxEvidence[] = [];
  let seed = 1;
  for (const [i, s] of HOUSEHOLD_SPECS.entries()) {
    for (const code of s.photos ?? []) {
      const a = list.find((x) => x.subjectId === householdRows[i]!.id)!;
      const bytes = await jpeg(seed++);
      const sha = createHash('sha256').update(bytes).digest('hex');
      await store.put(evidenceBlobKey(sha, 'image'), bytes);
      await store.put(evidenceBlobKey(sha, 'thumb'), bytes);
      evidenceList.push({
        id: id(),
        assessmentId: a.id,
        householdId: householdRows[i]!.id,
        householdName: s.name,
        hamletId: householdRows[i]!.hamletId,
        indicatorCode: code,
        sha256: sha,
        bytes,
        deleted: false,
      });
    }
  }
  // A deleted photo: never exported.
  const gone = await jpeg(999);
  const goneSha = createHash('sha256').update(gone).digest('hex');
  await store.put(evidenceBlobKey(goneSha, 'image'), gone);
  evidenceList.push({
    id: id(),
    assessmentId: list[0]!.id,
    householdId: householdRows[0]!.id,
    householdName: HOUSEHOLD_SPECS[0]!.name,
    hamletId: H1,
    indicatorCode: '4.1',
    sha256: goneSha,
    bytes: gone,
    deleted: true,
  });
  await db.insert(evidence).values(
    evidenceList.map((e, i) => ({
      id: e.id,
      assessmentId: e.assessmentId,
      indicatorCode: e.indicatorCode,
      communeId: C,
      sha256: e.sha256,
      imageKey: evidenceBlobKey(e.sha256, 'image'),
      thumbKey: evidenceBlobKey(e.sha256, 'thumb'),
      bytes: e.bytes.length,
      width: 16,
      height: 12,
      phash: BigInt(i + 1),
      uploadedBy: u.officer,
      createdAt: new Date(Date.UTC(2026, 8, (i % 9) + 1)),
      deletedAt: e.deleted ? h('2026-09-20T00:00:00Z') : null,
    })),
  );

  return {
    ids: { P, C, H1, H2, G11, G12, G21, G22, A, B, C2, H3, G31, K1, K2, U1, U2, U3 },
    users: u,
    campaign,
    campaign2,
    oldCampaigns: [oldA, oldB],
    decisions: { household: decisionHh, unit: decisionUnit, other: decisionOther },
    households: householdRows,
    otherHouseholds,
    clans: clanRows,
    units: unitRows,
    persons: personRows,
    hamlets: [
      { id: H1, name: 'Ấp Mỹ Thạnh' },
      { id: H2, name: 'Ấp Mỹ Phú' },
    ],
    assessments: list,
    evidence: evidenceList,
    history,
  };
}

export type ReportFixture = Awaited<ReturnType<typeof seedReportFixture>>;
