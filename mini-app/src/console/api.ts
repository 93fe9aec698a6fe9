// The officer console's endpoints, on the app's one session (services/api.ts `request`): imports,
// registry edits, role assignments, invites, the account picker. Types come from the shared contract
// with type-only imports, like services/types.ts.
import type {
  adminUnitSchema,
  clanSchema,
  householdSchema,
  importCommitResultSchema,
  importPreviewSchema,
  inviteIssuedSchema,
  onboardingImportCommitSchema,
  onboardingImportPreviewSchema,
  orgUnitSchema,
  personSchema,
  roleAssignmentSchema,
  TargetIndicator,
  TargetsDto,
  userCandidateSchema,
  zaloGroupSchema,
} from '@hoctap/shared/api';
import type { Endpoints } from '../services/api.ts';

type Out<T extends { _zod: { output: unknown } }> = T['_zod']['output'];

export type AdminUnit = Out<typeof adminUnitSchema>;
export type Household = Out<typeof householdSchema>;
export type Clan = Out<typeof clanSchema>;
export type OrgUnit = Out<typeof orgUnitSchema>;
export type Person = Out<typeof personSchema>;
export type RoleAssignmentRow = Out<typeof roleAssignmentSchema>;
export type UserCandidate = Out<typeof userCandidateSchema>;
export type Invite = Out<typeof inviteIssuedSchema>;
export type HouseholdImport = Out<typeof importPreviewSchema>;
export type OnboardingImport = Out<typeof onboardingImportPreviewSchema>;
export type ImportCommit = Out<typeof importCommitResultSchema> | Out<typeof onboardingImportCommitSchema>;
export type Role = RoleAssignmentRow['role'];
export type Targets = TargetsDto;
export type ZaloGroup = Out<typeof zaloGroupSchema>;

/** Which list an upload is: the household list, the person list, the province's commune list. */
export type ImportKind = 'households' | 'persons' | 'units';
const IMPORT_PATH: Record<ImportKind, string> = {
  households: '/api/v1/imports',
  persons: '/api/v1/person-imports',
  units: '/api/v1/admin-unit-imports',
};

/** The dry-run report of either shape, as one table: every row labelled the way an officer reads it. */
export interface ImportReport {
  id: string;
  kind: ImportKind;
  fileName: string;
  status: 'previewed' | 'committed';
  committable: boolean;
  summary: { total: number; create: number; update: number; unchanged: number; error: number; notes: string[] };
  rows: {
    row: number;
    action: 'create' | 'update' | 'unchanged' | 'error';
    label: string;
    messages: string[];
    changes: string[];
  }[];
}

function report(kind: ImportKind, r: HouseholdImport | OnboardingImport): ImportReport {
  return {
    id: r.id,
    kind,
    fileName: r.fileName,
    status: r.status,
    committable: r.committable,
    summary: r.summary,
    rows: r.rows.map((x) => ({
      row: x.row,
      action: x.action,
      label:
        'label' in x
          ? x.label
          : [x.headName, x.groupName, x.hamletName].filter((s) => s && s.trim() !== '').join(' · '),
      messages: x.messages,
      changes: x.changes ?? [],
    })),
  };
}

const enc = encodeURIComponent;
type Page<T> = { items: T[]; nextCursor?: string | null };

export function consoleApi(api: Endpoints) {
  const r = api.request;
  return {
    uploadImport: async (kind: ImportKind, file: File, q: { communeId?: string; allowNewGroups?: boolean }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      const query: Record<string, string | undefined> = { communeId: kind === 'units' ? undefined : q.communeId };
      if (kind === 'households' && q.allowNewGroups) query.allowNewGroups = 'true';
      const res = await r<HouseholdImport | OnboardingImport>(IMPORT_PATH[kind], { method: 'POST', body: form, query });
      return report(kind, res);
    },
    commitImport: (kind: ImportKind, id: string) =>
      r<ImportCommit>(`${IMPORT_PATH[kind]}/${enc(id)}/commit`, { method: 'POST', idempotent: true }),

    units: async (parentId?: string) =>
      (await r<Page<AdminUnit>>('/api/v1/admin-units', { query: { parentId } })).items,
    createUnit: (body: { level: AdminUnit['level']; parentId: string | null; name: string; code?: string | null }) =>
      r<AdminUnit>('/api/v1/admin-units', { method: 'POST', json: body }),
    renameUnit: (id: string, name: string, code?: string | null) =>
      r<AdminUnit>(`/api/v1/admin-units/${enc(id)}`, {
        method: 'PATCH',
        json: code === undefined ? { name } : { name, code },
        idempotent: true,
      }),

    households: (q: { unitId?: string; clanId?: string; q?: string; cursor?: string }) =>
      r<Page<Household> & { nextCursor: string | null }>('/api/v1/households', { query: { ...q, limit: 100 } }),
    patchHousehold: (id: string, body: Partial<Pick<Household, 'headName' | 'address' | 'memberCount' | 'phone'>>) =>
      r<Household>(`/api/v1/households/${enc(id)}`, { method: 'PATCH', json: body, idempotent: true }),
    clans: (communeId: string, cursor?: string) =>
      r<Page<Clan> & { nextCursor: string | null }>('/api/v1/clans', { query: { communeId, cursor, limit: 200 } }),
    createClan: (body: { communeId: string; name: string; headName?: string; hamletId?: string | null }) =>
      r<Clan>('/api/v1/clans', { method: 'POST', json: body }),
    patchClan: (id: string, body: { name?: string; headName?: string; version?: number }) =>
      r<Clan>(`/api/v1/clans/${enc(id)}`, { method: 'PATCH', json: body, idempotent: true }),
    orgUnits: (communeId: string, cursor?: string) =>
      r<Page<OrgUnit> & { nextCursor: string | null }>('/api/v1/units', { query: { communeId, cursor, limit: 200 } }),
    createOrgUnit: (body: { communeId: string; name: string; type: OrgUnit['type']; headName?: string }) =>
      r<OrgUnit>('/api/v1/units', { method: 'POST', json: body }),
    patchOrgUnit: (
      id: string,
      body: { name?: string; headName?: string; type?: OrgUnit['type']; staffCount?: number; version?: number },
    ) => r<OrgUnit>(`/api/v1/units/${enc(id)}`, { method: 'PATCH', json: body, idempotent: true }),
    persons: (q: { householdId?: string; unitId?: string; cursor?: string }) =>
      r<Page<Person> & { nextCursor: string | null }>('/api/v1/persons', { query: { ...q, limit: 200 } }),
    patchPerson: (
      id: string,
      body: {
        unitId?: string | null;
        fullName?: string;
        birthYear?: number | null;
        relation?: string | null;
        phone?: string | null;
        version?: number;
      },
    ) => r<Person>(`/api/v1/persons/${enc(id)}`, { method: 'PATCH', json: body, idempotent: true }),

    createPerson: (body: {
      unitId: string;
      fullName: string;
      birthYear?: number | null;
      phone?: string | null;
      isWorker?: boolean;
    }) => r<Person>('/api/v1/persons', { method: 'POST', json: body }),

    roleAssignments: async (unitId?: string) =>
      (await r<Page<RoleAssignmentRow>>('/api/v1/role-assignments', { query: { unitId } })).items,
    grantRole: (body: { userId: string; role: Role; unitId: string }) =>
      r<RoleAssignmentRow>('/api/v1/role-assignments', { method: 'POST', json: body }),
    revokeRole: (id: string) => r<void>(`/api/v1/role-assignments/${enc(id)}`, { method: 'DELETE' }),
    users: async (q: { communeId?: string; q?: string }) =>
      (await r<Page<UserCandidate>>('/api/v1/users', { query: { ...q, limit: 50 } })).items,

    targets: (unitId: string, year: number) => r<Targets>('/api/v1/targets', { query: { unitId, year } }),
    putTargets: (unitId: string, year: number, targets: { indicator: TargetIndicator; share: number | null }[]) =>
      r<Targets>('/api/v1/targets', { method: 'PUT', query: { unitId, year }, json: { targets }, idempotent: true }),

    zaloGroups: async (communeId: string) =>
      (await r<{ items: ZaloGroup[] }>('/api/v1/zalo-groups', { query: { communeId } })).items,
    putZaloGroup: (unitId: string, body: { groupId: string; name: string; status: ZaloGroup['status'] }) =>
      r<ZaloGroup>(`/api/v1/zalo-groups/${enc(unitId)}`, { method: 'PUT', json: body, idempotent: true }),

    householdInvite: (householdId: string) =>
      r<Invite>(`/api/v1/households/${enc(householdId)}/invites`, { method: 'POST' }),
  };
}

export type ConsoleApi = ReturnType<typeof consoleApi>;
