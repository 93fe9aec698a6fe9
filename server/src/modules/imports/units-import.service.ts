import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { TWO_TIER_SINCE } from '../registry/admin-units.service.ts';
import { isUniqueViolation } from '../registry/guards.ts';
import { isAdmin } from '../registry/scope.ts';
import { clean, fold } from '../registry/text.ts';
import { insertImport, markCommitted } from './imports.repo.ts';
import * as repo from './lists.repo.ts';
import { listView, rowError, summarise, type ListRow } from './lists-common.ts';
import { headerWords, readTable } from './table.ts';

/**
 * The official list of provinces and communes (post-2025 two-tier list, one row per commune with
 * its province) → dry run → commit, by admins. Units are matched by official code among live
 * units (or, for a unit that has no code yet, by name in the same province, which then receives
 * the code). A new code creates the unit, a changed name renames it in place; nothing is ended or
 * deleted here: a merger is an explicit API call (POST /admin-units/:id/merge) because it moves
 * hamlets and households.
 */

type Field = 'provinceCode' | 'provinceName' | 'communeCode' | 'communeName' | 'kind' | 'effectiveFrom';

export function unitField(raw: string): Field | null {
  const h = headerWords(raw);
  if (!h) return null;
  if (/^ma (tinh|tp|tinh thanh)\b/.test(h)) return 'provinceCode';
  if (/^ma (xa|phuong|dvhc|don vi)\b/.test(h)) return 'communeCode';
  if (/^(ten )?(tinh|tinh thanh|tinh thanh pho)( tp)?$/.test(h) || /^ten tinh\b/.test(h)) return 'provinceName';
  if (/^(ten )?(xa|phuong|xa phuong|don vi hanh chinh|dvhc)( dac khu)?$/.test(h) || /^ten (xa|dvhc)\b/.test(h))
    return 'communeName';
  if (/^(loai|cap)\b/.test(h)) return 'kind';
  if (/hieu luc|tu ngay/.test(h)) return 'effectiveFrom';
  return null;
}

const COMMUNE_KINDS: Record<string, string> = { xa: 'xã', phuong: 'phường', 'dac khu': 'đặc khu' };
const PROVINCE_KINDS: Record<string, string> = { tinh: 'tỉnh', 'thanh pho': 'thành phố' };

/** "Phường Mỹ Phú" → "phường"; an explicit "Loại" cell wins. */
function kindOf(name: string, explicit: string | undefined, table: Record<string, string>, fallback: string) {
  const e = fold(explicit);
  if (e && table[e]) return table[e]!;
  const f = fold(name);
  const hit = Object.keys(table).find((k) => f.startsWith(`${k} `));
  return hit ? table[hit]! : fallback;
}

interface Plan {
  provinceCode: string;
  provinceName: string;
  provinceKind: string;
  communeCode: string;
  communeName: string;
  communeKind: string;
  effectiveFrom: string;
}

export function createUnitsImportService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const adminOnly = (actor: Actor) => {
    if (!isAdmin(actor)) throw forbidden(undefined, 'UNIT_ADMIN_ONLY');
  };

  async function loadOwn(actor: Actor, id: string) {
    const imp = await repo.findListImport(db, id, 'units');
    if (!imp || !isAdmin(actor)) throw notFound('Không tìm thấy lần nhập này.', 'IMPORT_NOT_FOUND');
    return imp;
  }

  function plan(
    table: Awaited<ReturnType<typeof readTable<Field>>>,
    live: Awaited<ReturnType<typeof repo.liveProvincesAndCommunes>>,
  ) {
    const provinces = live.filter((u) => u.level === 'province');
    const communes = live.filter((u) => u.level === 'commune');
    const provByCode = new Map(provinces.filter((p) => p.code).map((p) => [p.code!, p]));
    const communeByCode = new Map(communes.filter((c) => c.code).map((c) => [c.code!, c]));
    const seenCommune = new Map<string, number>();
    const provinceNameInFile = new Map<string, { name: string; row: number }>();
    const out: ListRow<Plan>[] = [];
    const matched = new Set<string>();
    for (const { row, cells, merged } of table.rows) {
      const errors: string[] = [];
      const err = rowError(row)(errors);
      const pCode = clean(cells.provinceCode);
      const pName = clean(cells.provinceName);
      const cCode = clean(cells.communeCode);
      const cName = clean(cells.communeName);
      const label = `${cName || '(chưa có tên xã)'}${cCode ? ` (${cCode})` : ''}`;
      for (const m of merged) err(`ô ${m} là ô gộp; hãy bỏ gộp ô và điền giá trị cho từng dòng`);
      if (!/^\d{2}$/.test(pCode)) err(`mã tỉnh '${pCode}' phải gồm 2 chữ số`);
      if (!pName) err('thiếu tên tỉnh');
      if (!/^\d{5}$/.test(cCode)) err(`mã xã '${cCode}' phải gồm 5 chữ số`);
      if (!cName) err('thiếu tên xã');
      let effectiveFrom = TWO_TIER_SINCE;
      if (cells.effectiveFrom) {
        const raw = clean(cells.effectiveFrom);
        const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(raw) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
        const iso = m ? (m[1]!.length === 4 ? raw : `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`) : '';
        if (!iso || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)))
          err(`ngày hiệu lực '${raw}' không hợp lệ (dd/mm/yyyy)`);
        else effectiveFrom = iso;
      }
      if (errors.length === 0) {
        const first = seenCommune.get(cCode);
        if (first !== undefined) err(`trùng mã xã ${cCode} với dòng ${first}`);
        else seenCommune.set(cCode, row);
        const pSeen = provinceNameInFile.get(pCode);
        if (pSeen && fold(pSeen.name) !== fold(pName))
          err(`mã tỉnh ${pCode} đã mang tên '${pSeen.name}' ở dòng ${pSeen.row}`);
        else if (!pSeen) provinceNameInFile.set(pCode, { name: pName, row });
      }
      if (errors.length) {
        out.push({ row, action: 'error', messages: errors, label });
        continue;
      }
      const p: Plan = {
        provinceCode: pCode,
        provinceName: pName,
        provinceKind: kindOf(pName, undefined, PROVINCE_KINDS, 'tỉnh'),
        communeCode: cCode,
        communeName: cName,
        communeKind: kindOf(cName, cells.kind, COMMUNE_KINDS, 'xã'),
        effectiveFrom,
      };
      const province = provByCode.get(pCode) ?? provinces.find((x) => !x.code && fold(x.name) === fold(pName)) ?? null;
      const commune =
        communeByCode.get(cCode) ??
        (province
          ? communes.find((x) => !x.code && x.parentId === province.id && fold(x.name) === fold(cName))
          : null) ??
        null;
      const nameTwin = province
        ? null
        : provinces.find((x) => x.code && x.code !== pCode && fold(x.name) === fold(pName));
      if (nameTwin) {
        err(`đã có '${nameTwin.name}' với mã ${nameTwin.code}; hãy sửa mã tỉnh hoặc sáp nhập trước khi nhập`);
        out.push({ row, action: 'error', messages: errors, label });
        continue;
      }
      const communeTwin =
        province && !commune
          ? communes.find((x) => x.parentId === province.id && x.code && fold(x.name) === fold(cName))
          : null;
      if (communeTwin) {
        err(`tỉnh đã có '${communeTwin.name}' với mã ${communeTwin.code}; hãy sửa mã xã hoặc dùng chức năng sáp nhập`);
        out.push({ row, action: 'error', messages: errors, label });
        continue;
      }
      if (commune && province && commune.parentId !== province.id) {
        err(`xã mã ${cCode} đang thuộc tỉnh khác; nếu xã đã chuyển tỉnh hoặc sáp nhập, hãy dùng chức năng sáp nhập`);
        out.push({ row, action: 'error', messages: errors, label });
        continue;
      }
      if (commune && !province) {
        err(`xã mã ${cCode} đang thuộc tỉnh khác mã ${pCode}; hãy dùng chức năng sáp nhập`);
        out.push({ row, action: 'error', messages: errors, label });
        continue;
      }
      if (commune) matched.add(commune.id);
      const changes: string[] = [];
      if (province && (province.name !== pName || province.code !== pCode))
        changes.push(`tỉnh: ${province.name} → ${pName}`);
      if (commune && commune.name !== cName) changes.push(`tên xã: ${commune.name} → ${cName}`);
      if (commune && commune.code !== cCode) changes.push(`mã xã: ${cCode}`);
      if (commune && commune.kind !== p.communeKind) changes.push(`loại: ${p.communeKind}`);
      if (!commune) out.push({ row, action: 'create', messages: [], label, plan: p });
      else if (changes.length)
        out.push({
          row,
          action: 'update',
          messages: [`Dòng ${row}: cập nhật ${changes.join('; ')}`],
          label,
          changes,
          plan: p,
        });
      else out.push({ row, action: 'unchanged', messages: [], label });
    }
    const missing = communes.filter((c) => {
      const prov = provinces.find((p) => p.id === c.parentId);
      return !!prov?.code && provinceNameInFile.has(prov.code) && !matched.has(c.id);
    });
    const newProvinces = [...provinceNameInFile.keys()].filter((c) => !provByCode.has(c));
    const notes: string[] = [];
    if (newProvinces.length)
      notes.push(`Sẽ tạo ${newProvinces.length} tỉnh/thành phố mới (mã ${newProvinces.join(', ')}).`);
    if (missing.length)
      notes.push(
        `${missing.length} xã đang có trong hệ thống nhưng không có trong tệp: ${missing.map((m) => m.name).join(', ')}. Các xã này không bị xóa; nếu đã sáp nhập, hãy dùng chức năng sáp nhập.`,
      );
    return { rows: out, summary: summarise(out, 'xã/phường', notes) };
  }

  return {
    async previewUnits(actor: Actor, input: { fileName: string; bytes: Buffer }) {
      adminOnly(actor);
      const table = await readTable<Field>(input.fileName, input.bytes, {
        fieldOf: unitField,
        isHeader: (f) => ['provinceCode', 'provinceName', 'communeCode', 'communeName'].every((x) => f.has(x as Field)),
        noHeader: () => badRequest(undefined, 'IMPORT_NO_HEADER_UNITS'),
      });
      if (table.rows.length === 0) throw badRequest('Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.', 'IMPORT_EMPTY');
      const { rows, summary } = plan(table, await repo.liveProvincesAndCommunes(db));
      const id = randomUUID();
      await insertImport(db, {
        id,
        kind: 'units',
        communeId: null,
        createdBy: actor.userId,
        fileName: clean(input.fileName).slice(0, 200),
        fileSha256: createHash('sha256').update(input.bytes).digest('hex'),
        status: 'previewed',
        summary: summary as unknown as Record<string, unknown>,
        rows,
        createdAt: clock.now(),
      });
      return listView((await repo.findListImport(db, id, 'units'))!);
    },

    async getUnitsImport(actor: Actor, id: string) {
      return listView(await loadOwn(actor, id));
    },

    /** One transaction: provinces, then communes, created or renamed by code against today's tree. */
    async commitUnits(actor: Actor, id: string) {
      const imp = await loadOwn(actor, id);
      const summary = imp.summary as { error: number; unchanged: number };
      if (imp.status === 'committed') throw conflict('Lần nhập này đã được ghi rồi.', 'IMPORT_ALREADY_COMMITTED');
      if (summary.error > 0)
        throw conflict(`Bản xem trước còn ${summary.error} dòng lỗi nên không ghi gì cả.`, 'IMPORT_HAS_ERRORS');
      const plans = (imp.rows as ListRow<Plan>[]).filter((r) => r.plan).map((r) => r.plan!);
      const now = clock.now();
      try {
        const counts = await db.transaction(async (tx) => {
          if (!(await markCommitted(tx, id, now)))
            throw conflict('Lần nhập này đã được ghi rồi.', 'IMPORT_ALREADY_COMMITTED');
          const live = await repo.liveProvincesAndCommunes(tx);
          const provinces = new Map<string, { id: string; path: string }>();
          let created = 0;
          let updated = 0;
          const inserts: Parameters<typeof repo.insertAdminUnits>[1] = [];
          for (const p of plans) {
            if (provinces.has(p.provinceCode)) continue;
            const cur =
              live.find((u) => u.level === 'province' && u.code === p.provinceCode) ??
              live.find((u) => u.level === 'province' && !u.code && fold(u.name) === fold(p.provinceName));
            if (cur) {
              if (cur.name !== p.provinceName || cur.code !== p.provinceCode) {
                await repo.renameAdminUnit(tx, cur.id, {
                  name: p.provinceName,
                  kind: p.provinceKind,
                  code: p.provinceCode,
                });
                updated++;
              }
              provinces.set(p.provinceCode, cur);
            } else {
              const pid = randomUUID();
              const row = { id: pid, path: `/${pid}/` };
              inserts.push({
                ...row,
                level: 'province',
                kind: p.provinceKind,
                name: p.provinceName,
                code: p.provinceCode,
                effectiveFrom: p.effectiveFrom,
                createdAt: now,
              });
              provinces.set(p.provinceCode, row);
              created++;
            }
          }
          for (const p of plans) {
            const prov = provinces.get(p.provinceCode)!;
            const cur =
              live.find((u) => u.level === 'commune' && u.code === p.communeCode) ??
              live.find(
                (u) =>
                  u.level === 'commune' && !u.code && u.parentId === prov.id && fold(u.name) === fold(p.communeName),
              );
            if (cur) {
              if (cur.name !== p.communeName || cur.code !== p.communeCode || cur.kind !== p.communeKind) {
                await repo.renameAdminUnit(tx, cur.id, {
                  name: p.communeName,
                  kind: p.communeKind,
                  code: p.communeCode,
                });
                updated++;
              }
              continue;
            }
            const cid = randomUUID();
            inserts.push({
              id: cid,
              level: 'commune',
              kind: p.communeKind,
              name: p.communeName,
              code: p.communeCode,
              parentId: prov.id,
              path: `${prov.path}${cid}/`,
              effectiveFrom: p.effectiveFrom,
              createdAt: now,
            });
            created++;
          }
          // Provinces first in the array: a commune's parent exists before it in the same statement batch.
          await repo.insertAdminUnits(tx, inserts);
          const result = { created, updated, unchanged: summary.unchanged };
          await appendAudit(tx, {
            at: now,
            actorId: actor.userId,
            action: 'import.commit',
            entityType: 'import',
            entityId: id,
            data: { kind: 'units', ...result, fileSha256: imp.fileSha256 },
          });
          return result;
        });
        return {
          id,
          status: 'committed' as const,
          ...counts,
          message: `Đã thêm ${counts.created} đơn vị hành chính, cập nhật ${counts.updated}; ${counts.unchanged} xã không đổi.`,
        };
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(undefined, 'UNIT_CODE_TAKEN');
        throw err;
      }
    },
  };
}

export type UnitsImportService = ReturnType<typeof createUnitsImportService>;
