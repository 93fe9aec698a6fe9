import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import { communesOf, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { findUnit } from '../registry/registry.repo.ts';
import { householdKey } from '../registry/text.ts';
import { isAdmin } from '../registry/scope.ts';
import { clean, fold, groupKey, hamletKey, normalizePhone } from '../registry/text.ts';
import { importCommuneFor } from './import-commune.ts';
import * as repo from './imports.repo.ts';
import { parseImportFile, type ParsedFile } from './parse.ts';

/**
 * Bulk import of a commune's household list: upload → dry-run report (stored) → commit.
 *
 * Policy: **all or nothing**. A preview with any error row cannot be committed; the officer fixes
 * the file and uploads it again. A commit applies exactly the stored preview in one transaction
 * (new ấp/tổ/dòng họ first, then one upsert per 1,000 households) and is idempotent: the same file
 * again previews as "unchanged" everywhere and its commit writes no household.
 *
 * Matching: by "mã hộ" when the file has one, else by the normalised key ấp+tổ+chủ hộ+địa chỉ
 * (accent-, case- and NFC/NFD-insensitive). Empty cells never erase registry data.
 */

type Action = 'create' | 'update' | 'unchanged' | 'error';

interface Plan {
  key: string;
  hamlet: string;
  hamletName: string;
  group: string;
  groupName: string;
  headName: string;
  address: string;
  memberCount: number;
  phone: string | null;
  clan: string | null;
  clanName: string | null;
}

export interface StoredRow {
  row: number;
  action: Action;
  messages: string[];
  headName: string;
  hamletName: string;
  groupName: string;
  changes?: string[];
  plan?: Plan;
}

/** A type alias so it is a JSON object (`Record<string, unknown>`) for the jsonb column. */
type Summary = {
  total: number;
  create: number;
  update: number;
  unchanged: number;
  error: number;
  newHamlets: string[];
  newGroups: string[];
  newClans: string[];
  notes: string[];
};

const HAMLET_KINDS: Record<string, string> = {
  ap: 'ấp',
  khom: 'khóm',
  thon: 'thôn',
  'to dan pho': 'tổ dân phố',
  'khu pho': 'khu phố',
};
export const GROUP_KIND = 'tổ nhân dân tự quản';

/** "Ấp Mỹ Hòa" → { kind: 'ấp', name: 'Mỹ Hòa' }; "Mỹ Hòa" → the same. */
export function splitHamletName(display: string): { kind: string; name: string } {
  const words = clean(display).split(' ');
  for (const n of [3, 2, 1]) {
    const k = fold(words.slice(0, n).join(' '));
    if (HAMLET_KINDS[k] && words.length > n) return { kind: HAMLET_KINDS[k]!, name: words.slice(n).join(' ') };
  }
  return { kind: 'ấp', name: clean(display) };
}

/** "tổ 01" → "Tổ 1"; a named tổ keeps its name. */
export function canonicalGroupName(display: string): string {
  const k = groupKey(display);
  return /^\d+$/.test(k) ? `Tổ ${k}` : clean(display);
}

export function createImportService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const communeFor = (actor: Actor, requested: string | undefined) => importCommuneFor(db, actor, requested);

  async function loadImport(actor: Actor, id: string) {
    const imp = await repo.findImport(db, id);
    // Person and unit lists have their own routes; here only household lists exist.
    if (
      !imp ||
      imp.kind !== 'households' ||
      !imp.communeId ||
      !(isAdmin(actor) || communesOf(actor, ['officer']).includes(imp.communeId))
    ) {
      throw notFound('Không tìm thấy lần nhập này.', 'IMPORT_NOT_FOUND');
    }
    return { ...imp, communeId: imp.communeId };
  }

  function view(imp: repo.ImportRow) {
    const summary = imp.summary as Summary;
    const rows = (imp.rows as StoredRow[]).filter((r) => r.action !== 'unchanged').map(({ plan: _p, ...r }) => r);
    return {
      id: imp.id,
      communeId: imp.communeId,
      fileName: imp.fileName,
      status: imp.status,
      committable: imp.status === 'previewed' && summary.error === 0,
      summary,
      rows,
    };
  }

  function plan(
    file: ParsedFile,
    units: Awaited<ReturnType<typeof repo.communeUnits>>,
    clans: { id: string; name: string }[],
    existing: Awaited<ReturnType<typeof repo.communeHouseholds>>,
    allowNewGroups: boolean,
  ) {
    const hamlets = new Map<string, { id: string; name: string }>();
    const groups = new Map<string, Map<string, { id: string; name: string }>>();
    for (const u of units) if (u.level === 'hamlet') hamlets.set(hamletKey(u.name), u);
    for (const u of units) {
      if (u.level !== 'group' || !u.parentId) continue;
      if (!groups.has(u.parentId)) groups.set(u.parentId, new Map());
      groups.get(u.parentId)!.set(groupKey(u.name), u);
    }
    const clanByKey = new Map(clans.map((c) => [fold(c.name), c]));
    const byKey = new Map(existing.map((h) => [h.externalKey, h]));
    const newHamlets = new Map<string, string>();
    const newGroups = new Map<string, string>();
    const newClans = new Map<string, string>();
    const seen = new Map<string, number>();
    const out: StoredRow[] = [];

    for (const { row, cells, merged } of file.rows) {
      const errors: string[] = [];
      const err = (m: string) => errors.push(`Dòng ${row}: ${m}`);
      for (const m of merged) err(`ô ${m} là ô gộp; hãy bỏ gộp ô và điền giá trị cho từng dòng`);
      const headName = clean(cells.head);
      const rawHamlet = clean(cells.hamlet);
      const rawGroup = clean(cells.group);
      const address = clean(cells.address);
      if (!headName) err('thiếu tên chủ hộ');
      if (!rawHamlet) err('thiếu tên ấp');
      if (!rawGroup) err('thiếu tên tổ');
      const phone = normalizePhone(cells.phone);
      if (phone === false) err(`số điện thoại '${clean(cells.phone)}' không hợp lệ`);
      let members: number | null = null;
      if (cells.members) {
        const m = clean(cells.members);
        if (/^\d{1,2}$/.test(m) && Number(m) >= 1) members = Number(m);
        else err(`số nhân khẩu '${m}' không hợp lệ`);
      }

      let hamletName = rawHamlet;
      let groupName = rawGroup;
      const hk = hamletKey(rawHamlet);
      const gk = groupKey(rawGroup);
      const hamlet = hk ? hamlets.get(hk) : undefined;
      let groupId: string | null = null;
      let hamletId: string | null = null;
      if (rawHamlet && rawGroup) {
        if (hamlet) {
          hamletId = hamlet.id;
          hamletName = hamlet.name;
          const inHamlet = groups.get(hamlet.id);
          const g = inHamlet?.get(gk);
          if (g) {
            groupId = g.id;
            groupName = g.name;
          } else if (!inHamlet || inHamlet.size === 0 || allowNewGroups) {
            groupName = canonicalGroupName(rawGroup);
            newGroups.set(`${hk}|${gk}`, `${groupName} (ấp ${hamlet.name})`);
          } else {
            err(`tổ '${rawGroup}' không thuộc ấp '${hamlet.name}'`);
          }
        } else {
          hamletName = splitHamletName(rawHamlet).name;
          groupName = canonicalGroupName(rawGroup);
          newHamlets.set(hk, hamletName);
          newGroups.set(`${hk}|${gk}`, `${groupName} (ấp ${hamletName})`);
        }
      }

      let clanId: string | null = null;
      let clanKey: string | null = null;
      const clanName = cells.clan ? clean(cells.clan) : null;
      if (clanName) {
        clanKey = fold(clanName);
        const c = clanByKey.get(clanKey);
        if (c) clanId = c.id;
        else newClans.set(clanKey, clanName);
      }

      const base = { row, headName, hamletName, groupName };
      const key = householdKey({ code: cells.code, hamletName, groupName, headName, address });
      if (errors.length === 0) {
        const first = seen.get(key);
        if (first !== undefined) {
          err(
            cells.code ? `trùng mã hộ với dòng ${first}` : `trùng với dòng ${first} (cùng ấp, tổ, chủ hộ và địa chỉ)`,
          );
        } else seen.set(key, row);
      }
      if (errors.length) {
        out.push({ ...base, action: 'error', messages: errors });
        continue;
      }

      const current = byKey.get(key);
      const p: Plan = {
        key,
        hamlet: hk,
        hamletName,
        group: gk,
        groupName,
        headName,
        address: cells.address !== undefined ? address : (current?.address ?? ''),
        memberCount: members ?? current?.memberCount ?? 1,
        phone: phone || current?.phone || null,
        clan: clanKey ?? null,
        clanName,
      };
      if (!current) {
        out.push({ ...base, action: 'create', messages: [], plan: p });
        continue;
      }
      const changes: string[] = [];
      if (current.hamletId !== hamletId || current.groupId !== groupId) changes.push('tổ');
      if (current.headName !== p.headName) changes.push('chủ hộ');
      if (current.address !== p.address) changes.push('địa chỉ');
      if (current.memberCount !== p.memberCount) changes.push('số nhân khẩu');
      if (current.phone !== p.phone) changes.push('số điện thoại');
      if (clanKey && current.clanId !== clanId) changes.push('dòng họ');
      if (!clanKey) p.clan = null;
      if (changes.length === 0) out.push({ ...base, action: 'unchanged', messages: [] });
      else
        out.push({
          ...base,
          action: 'update',
          messages: [`Dòng ${row}: cập nhật ${changes.join(', ')}`],
          changes,
          plan: { ...p, clan: p.clan, clanName: clanKey ? clanName : null },
        });
    }

    const count = (a: Action) => out.filter((r) => r.action === a).length;
    const summary: Summary = {
      total: out.length,
      create: count('create'),
      update: count('update'),
      unchanged: count('unchanged'),
      error: count('error'),
      newHamlets: [...newHamlets.values()],
      newGroups: [...newGroups.values()],
      newClans: [...newClans.values()],
      notes: [],
    };
    const n = summary.notes;
    n.push(
      `Tệp có ${summary.total} hộ: ${summary.create} thêm mới, ${summary.update} cập nhật, ${summary.unchanged} không đổi, ${summary.error} lỗi.`,
    );
    if (summary.newHamlets.length)
      n.push(`Sẽ tạo ${summary.newHamlets.length} ấp mới: ${summary.newHamlets.join(', ')}.`);
    if (summary.newGroups.length) n.push(`Sẽ tạo ${summary.newGroups.length} tổ mới: ${summary.newGroups.join(', ')}.`);
    if (summary.newClans.length)
      n.push(`Sẽ tạo ${summary.newClans.length} dòng họ mới: ${summary.newClans.join(', ')}.`);
    n.push(
      summary.error
        ? `Còn ${summary.error} dòng lỗi nên chưa thể ghi vào danh sách (không ghi một phần). Hãy sửa tệp và tải lên lại.`
        : 'Không có lỗi: có thể xác nhận để ghi toàn bộ vào danh sách.',
    );
    return { rows: out, summary };
  }

  return {
    async preview(
      actor: Actor,
      input: { fileName: string; bytes: Buffer; communeId?: string; allowNewGroups: boolean },
    ) {
      const commune = await communeFor(actor, input.communeId);
      const file = await parseImportFile(input.fileName, input.bytes);
      if (file.rows.length === 0) throw badRequest('Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.', 'IMPORT_EMPTY');
      const [units, clans, existing] = await Promise.all([
        repo.communeUnits(db, commune.path),
        repo.communeClans(db, commune.id),
        repo.communeHouseholds(db, commune.id),
      ]);
      const { rows, summary } = plan(file, units, clans, existing, input.allowNewGroups);
      const id = randomUUID();
      await repo.insertImport(db, {
        id,
        communeId: commune.id,
        createdBy: actor.userId,
        fileName: clean(input.fileName).slice(0, 200),
        fileSha256: createHash('sha256').update(input.bytes).digest('hex'),
        status: 'previewed',
        summary,
        rows,
        createdAt: clock.now(),
      });
      return view((await repo.findImport(db, id))!);
    },

    async get(actor: Actor, id: string) {
      return view(await loadImport(actor, id));
    },

    async commit(actor: Actor, id: string) {
      const imp = await loadImport(actor, id);
      const summary = imp.summary as Summary;
      if (imp.status === 'committed')
        throw conflict('Lần nhập này đã được ghi vào danh sách rồi.', 'IMPORT_ALREADY_COMMITTED');
      if (summary.error > 0) {
        throw conflict(
          `Bản xem trước còn ${summary.error} dòng lỗi nên không ghi gì cả. Hãy sửa tệp và tải lên lại.`,
          'IMPORT_HAS_ERRORS',
        );
      }
      const commune = await findUnit(db, imp.communeId);
      if (!commune) throw notFound('Không tìm thấy xã.', 'UNIT_NOT_FOUND');
      const rows = (imp.rows as StoredRow[]).filter((r) => r.plan && (r.action === 'create' || r.action === 'update'));
      const now = clock.now();
      const result = await db.transaction(async (tx) => {
        if (!(await repo.markCommitted(tx, id, now)))
          throw conflict('Lần nhập này đã được ghi vào danh sách rồi.', 'IMPORT_ALREADY_COMMITTED');
        const units = await repo.communeUnits(tx, commune.path);
        const hamlets = new Map<string, { id: string; path: string }>();
        for (const u of units) if (u.level === 'hamlet') hamlets.set(hamletKey(u.name), u);
        const groups = new Map<string, { id: string; path: string }>();
        const hamletOf = new Map(units.filter((u) => u.level === 'hamlet').map((u) => [u.id, hamletKey(u.name)]));
        for (const u of units)
          if (u.level === 'group' && u.parentId) groups.set(`${hamletOf.get(u.parentId)}|${groupKey(u.name)}`, u);

        const newUnits: {
          id: string;
          level: 'hamlet' | 'group';
          kind: string;
          name: string;
          parentId: string;
          path: string;
          createdAt: Date;
        }[] = [];
        for (const r of rows) {
          const p = r.plan!;
          let h = hamlets.get(p.hamlet);
          if (!h) {
            const hid = randomUUID();
            const s = splitHamletName(p.hamletName);
            h = { id: hid, path: `${commune.path}${hid}/` };
            hamlets.set(p.hamlet, h);
            newUnits.push({
              id: hid,
              level: 'hamlet',
              kind: s.kind,
              name: s.name,
              parentId: commune.id,
              path: h.path,
              createdAt: now,
            });
          }
          const gk = `${p.hamlet}|${p.group}`;
          if (!groups.has(gk)) {
            const gid = randomUUID();
            groups.set(gk, { id: gid, path: `${h.path}${gid}/` });
            newUnits.push({
              id: gid,
              level: 'group',
              kind: GROUP_KIND,
              name: p.groupName,
              parentId: h.id,
              path: `${h.path}${gid}/`,
              createdAt: now,
            });
          }
        }
        // Hamlets before their tổ: one statement, parents first in the array.
        newUnits.sort((a, b) => (a.level === b.level ? 0 : a.level === 'hamlet' ? -1 : 1));
        await repo.insertUnitsBatch(tx, newUnits);

        const clanRows = await repo.communeClans(tx, commune.id);
        const clanIds = new Map(clanRows.map((c) => [fold(c.name), c.id]));
        const newClans = new Map<string, { id: string; name: string }>();
        for (const r of rows) {
          const p = r.plan!;
          if (p.clan && !clanIds.has(p.clan) && !newClans.has(p.clan))
            newClans.set(p.clan, { id: randomUUID(), name: p.clanName ?? p.clan });
        }
        await repo.insertClansBatch(
          tx,
          [...newClans.values()].map((c) => ({
            id: c.id,
            communeId: commune.id,
            name: c.name,
            headName: '',
            createdAt: now,
            updatedAt: now,
          })),
        );
        for (const [k, c] of newClans) clanIds.set(k, c.id);

        const existing = new Map((await repo.communeHouseholds(tx, commune.id)).map((h) => [h.externalKey, h]));
        await repo.upsertHouseholds(
          tx,
          rows.map((r) => {
            const p = r.plan!;
            const h = hamlets.get(p.hamlet)!;
            const g = groups.get(`${p.hamlet}|${p.group}`)!;
            const cur = existing.get(p.key);
            return {
              id: cur?.id ?? randomUUID(),
              communeId: commune.id,
              hamletId: h.id,
              groupId: g.id,
              headName: p.headName,
              address: p.address,
              memberCount: p.memberCount,
              phone: p.phone,
              clanId: p.clan ? (clanIds.get(p.clan) ?? null) : (cur?.clanId ?? null),
              externalKey: p.key,
              createdAt: now,
              updatedAt: now,
            };
          }),
        );
        const created = rows.filter((r) => r.action === 'create').length;
        const updated = rows.length - created;
        const counts = {
          created,
          updated,
          unchanged: summary.unchanged,
          createdHamlets: newUnits.filter((u) => u.level === 'hamlet').length,
          createdGroups: newUnits.filter((u) => u.level === 'group').length,
          createdClans: newClans.size,
        };
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'import.commit',
          entityType: 'import',
          entityId: id,
          data: { ...counts, fileSha256: imp.fileSha256 },
        });
        return counts;
      });
      return {
        id,
        status: 'committed' as const,
        ...result,
        message: `Đã ghi ${result.created} hộ mới, cập nhật ${result.updated} hộ; ${result.unchanged} hộ không đổi.`,
      };
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
