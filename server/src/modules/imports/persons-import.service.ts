import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.ts';
import { communesOf, type Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { isAdmin } from '../registry/scope.ts';
import { clean, fold, groupKey, hamletKey, normalizePhone } from '../registry/text.ts';
import { communeUnits, insertImport, markCommitted } from './imports.repo.ts';
import { importCommuneFor } from './import-commune.ts';
import * as repo from './lists.repo.ts';
import { listView, rowError, summarise, type ListRow } from './lists-common.ts';
import { headerWords, readTable, yesNo } from './table.ts';

/**
 * A commune's person list (household members and unit staff) → dry run → commit, by the
 * commune's officers; the same policy as the household list. A row names its household by "mã hộ"
 * or by ấp + tổ + chủ hộ (which must already exist: import the household list first), and/or its
 * unit by name. Identity for re-imports: "mã người" when present, else household (or unit) + name
 * + birth year, folded; persons added by hand match the same derived key. Empty cells never erase.
 */

type Field =
  | 'code'
  | 'fullName'
  | 'birthYear'
  | 'relation'
  | 'householdCode'
  | 'hamlet'
  | 'group'
  | 'head'
  | 'unit'
  | 'phone'
  | 'cdhtGroup'
  | 'inSchool'
  | 'isWorker';

export function personField(raw: string): Field | null {
  const h = headerWords(raw);
  if (!h) return null;
  if (/\bquan he\b/.test(h)) return 'relation'; // "Quan hệ với chủ hộ" before "Chủ hộ"
  if (/\bchu ho\b/.test(h)) return 'head';
  if (/^ma (ho|so ho|hgd|ho gia dinh)\b/.test(h)) return 'householdCode';
  if (/^ma (nguoi|cong dan|nhan khau|ca nhan|thanh vien)\b|^ma$/.test(h)) return 'code';
  if (/^ho (va )?ten\b|^ten (nguoi|thanh vien|nhan khau|can bo)\b/.test(h)) return 'fullName';
  if (/\b(nam|ngay) sinh\b/.test(h)) return 'birthYear';
  if (/\bto dan pho\b|\bkhu pho\b/.test(h)) return 'hamlet';
  if (/^to\b|\bto nhan dan\b|\bto tu quan\b/.test(h)) return 'group';
  if (/^(ten )?(ap|khom|thon|xom)\b/.test(h)) return 'hamlet';
  if (/^(don vi|co quan|noi cong tac|truong)\b/.test(h)) return 'unit';
  if (/^sdt\b|^dt\b|\bdien thoai\b|^phone\b/.test(h)) return 'phone';
  if (/\bnhom\b|\bdoi tuong\b/.test(h)) return 'cdhtGroup';
  if (/\b(di|dang) hoc\b/.test(h)) return 'inSchool';
  if (/\blao dong\b|\bcong nhan\b/.test(h)) return 'isWorker';
  return null;
}

interface Plan {
  key: string;
  householdId: string | null;
  unitId: string | null;
  fullName: string;
  birthYear: number | null;
  relation: string | null;
  phone: string | null;
  cdhtGroup: string | null;
  inSchool: boolean | null;
  isWorker: boolean | null;
}

/** The key a person is matched by on re-import (stored, or derived for persons added by hand). */
export function personKey(p: {
  code?: string | null;
  householdId: string | null;
  unitId: string | null;
  fullName: string;
  birthYear: number | null;
}): string {
  const code = clean(p.code);
  if (code) return `ma:${fold(code).replace(/\s+/g, '')}`;
  const owner = p.householdId ? `h:${p.householdId}` : `u:${p.unitId}`;
  return `k:${owner}|${fold(p.fullName)}|${p.birthYear ?? ''}`;
}

const keyOf = (p: repo.PersonRow) => p.externalKey ?? personKey(p);

export function createPersonsImportService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const communeFor = (actor: Actor, requested: string | undefined) => importCommuneFor(db, actor, requested);

  async function loadOwn(actor: Actor, id: string) {
    const imp = await repo.findListImport(db, id, 'persons');
    if (!imp?.communeId || !(isAdmin(actor) || communesOf(actor, ['officer']).includes(imp.communeId)))
      throw notFound('Không tìm thấy lần nhập này.', 'IMPORT_NOT_FOUND');
    return { ...imp, communeId: imp.communeId };
  }

  async function plan(communeId: string, communePath: string, table: Awaited<ReturnType<typeof readTable<Field>>>) {
    const [places, hhs, orgs, existing] = await Promise.all([
      communeUnits(db, communePath),
      repo.communeHouseholdIndex(db, communeId),
      repo.communeOrgUnits(db, communeId),
      repo.communePersons(db, communeId),
    ]);
    const hamlets = new Map(places.filter((u) => u.level === 'hamlet').map((u) => [hamletKey(u.name), u]));
    const groupsOf = new Map<string, Map<string, { id: string; name: string }>>();
    for (const u of places) {
      if (u.level !== 'group' || !u.parentId) continue;
      if (!groupsOf.has(u.parentId)) groupsOf.set(u.parentId, new Map());
      groupsOf.get(u.parentId)!.set(groupKey(u.name), u);
    }
    const hhByKey = new Map(hhs.map((h) => [h.externalKey, h]));
    const orgByName = new Map(orgs.map((o) => [fold(o.name), o]));
    const byKey = new Map(existing.map((p) => [keyOf(p), p]));
    const year = clock.now().getUTCFullYear();
    const seen = new Map<string, number>();
    const out: ListRow<Plan>[] = [];

    for (const { row, cells, merged } of table.rows) {
      const errors: string[] = [];
      const err = rowError(row)(errors);
      const fullName = clean(cells.fullName);
      let birthYear: number | null = null;
      if (cells.birthYear) {
        const raw = clean(cells.birthYear);
        const m = /^(?:\d{1,2}[/.-]\d{1,2}[/.-])?(\d{4})$/.exec(raw);
        const y = m ? Number(m[1]) : NaN;
        if (!(y >= 1900 && y <= year)) err(`năm sinh '${raw}' không hợp lệ`);
        else birthYear = y;
      }
      const label = `${fullName || '(chưa có họ tên)'}${birthYear ? ` (${birthYear})` : ''}`;
      for (const c of merged) err(`ô ${c} là ô gộp; hãy bỏ gộp ô và điền giá trị cho từng dòng`);
      if (!fullName) err('thiếu họ tên');
      const phone = normalizePhone(cells.phone);
      if (phone === false) err(`số điện thoại '${clean(cells.phone)}' không hợp lệ`);
      const inSchool = yesNo(cells.inSchool);
      if (inSchool === 'invalid') err(`cột đang đi học '${clean(cells.inSchool)}' phải là "có" hoặc "không"`);
      const isWorker = yesNo(cells.isWorker);
      if (isWorker === 'invalid') err(`cột người lao động '${clean(cells.isWorker)}' phải là "có" hoặc "không"`);

      let householdId: string | null = null;
      const hhCode = clean(cells.householdCode);
      const head = clean(cells.head);
      if (hhCode) {
        const h = hhByKey.get(`ma:${fold(hhCode).replace(/\s+/g, '')}`);
        if (!h) err(`không có hộ mã '${hhCode}' trong danh sách hộ của xã`);
        else householdId = h.id;
      } else if (head || cells.hamlet) {
        const rawHamlet = clean(cells.hamlet);
        const hamlet = rawHamlet ? hamlets.get(hamletKey(rawHamlet)) : undefined;
        if (!rawHamlet) err('thiếu tên ấp của hộ');
        else if (!hamlet) err(`ấp '${rawHamlet}' không có trong xã`);
        else if (!head) err('thiếu tên chủ hộ');
        else {
          const rawGroup = clean(cells.group);
          const group = rawGroup ? groupsOf.get(hamlet.id)?.get(groupKey(rawGroup)) : undefined;
          if (rawGroup && !group) err(`tổ '${rawGroup}' không thuộc ấp '${hamlet.name}'`);
          else {
            const found = hhs.filter(
              (h) => h.hamletId === hamlet.id && (!group || h.groupId === group.id) && fold(h.headName) === fold(head),
            );
            if (found.length === 0) err(`không tìm thấy hộ có chủ hộ '${head}' ở ấp '${hamlet.name}'`);
            else if (found.length > 1)
              err(`có ${found.length} hộ cùng chủ hộ '${head}' ở ấp '${hamlet.name}': hãy ghi cột Mã hộ hoặc Tổ`);
            else householdId = found[0]!.id;
          }
        }
      }
      let unitId: string | null = null;
      const unitName = clean(cells.unit);
      if (unitName) {
        const u = orgByName.get(fold(unitName));
        if (!u) err(`không có đơn vị '${unitName}' trong xã (hãy thêm đơn vị trước)`);
        else unitId = u.id;
      }
      if (!hhCode && !head && !cells.hamlet && !unitName) err('cần Mã hộ (hoặc Ấp, Tổ, Chủ hộ) hoặc Đơn vị công tác');

      if (errors.length === 0) {
        const key = personKey({ code: cells.code, householdId, unitId, fullName, birthYear });
        const first = seen.get(key);
        if (first !== undefined)
          err(
            cells.code
              ? `trùng mã người với dòng ${first}`
              : `trùng với dòng ${first} (cùng hộ/đơn vị, họ tên và năm sinh)`,
          );
        else seen.set(key, row);
      }
      if (errors.length) {
        out.push({ row, action: 'error', messages: errors, label });
        continue;
      }
      const key = personKey({ code: cells.code, householdId, unitId, fullName, birthYear });
      const cur = byKey.get(key);
      const p: Plan = {
        key,
        householdId: householdId ?? cur?.householdId ?? null,
        unitId: unitId ?? cur?.unitId ?? null,
        fullName,
        birthYear: birthYear ?? cur?.birthYear ?? null,
        relation: cells.relation ? clean(cells.relation) : (cur?.relation ?? null),
        phone: phone || cur?.phone || null,
        cdhtGroup: cells.cdhtGroup ? clean(cells.cdhtGroup) : (cur?.cdhtGroup ?? null),
        inSchool: (inSchool as boolean | null) ?? cur?.inSchool ?? null,
        isWorker: (isWorker as boolean | null) ?? cur?.isWorker ?? false,
      };
      if (!cur) {
        out.push({ row, action: 'create', messages: [], label, plan: p });
        continue;
      }
      const labels: Record<string, string> = {
        householdId: 'hộ',
        unitId: 'đơn vị',
        fullName: 'họ tên',
        birthYear: 'năm sinh',
        relation: 'quan hệ',
        phone: 'số điện thoại',
        cdhtGroup: 'nhóm đối tượng',
        inSchool: 'đang đi học',
        isWorker: 'người lao động',
      };
      const changes = Object.keys(labels)
        .filter((k) => p[k as keyof Plan] !== cur[k as keyof repo.PersonRow])
        .map((k) => labels[k]!);
      if (cur.externalKey !== key) changes.push('mã nhận diện');
      if (changes.length === 0) out.push({ row, action: 'unchanged', messages: [], label });
      else
        out.push({
          row,
          action: 'update',
          messages: [`Dòng ${row}: cập nhật ${changes.join(', ')}`],
          label,
          changes,
          plan: p,
        });
    }
    return { rows: out, summary: summarise(out, 'người') };
  }

  return {
    async previewPersons(actor: Actor, input: { fileName: string; bytes: Buffer; communeId?: string }) {
      const commune = await communeFor(actor, input.communeId);
      const table = await readTable<Field>(input.fileName, input.bytes, {
        fieldOf: personField,
        isHeader: (f) => f.has('fullName') && (f.has('householdCode') || f.has('head') || f.has('unit')),
        noHeader: () => badRequest(undefined, 'IMPORT_NO_HEADER_PERSONS'),
      });
      if (table.rows.length === 0) throw badRequest('Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.', 'IMPORT_EMPTY');
      const { rows, summary } = await plan(commune.id, commune.path, table);
      const id = randomUUID();
      await insertImport(db, {
        id,
        kind: 'persons',
        communeId: commune.id,
        createdBy: actor.userId,
        fileName: clean(input.fileName).slice(0, 200),
        fileSha256: createHash('sha256').update(input.bytes).digest('hex'),
        status: 'previewed',
        summary: summary as unknown as Record<string, unknown>,
        rows,
        createdAt: clock.now(),
      });
      return listView((await repo.findListImport(db, id, 'persons'))!);
    },

    async getPersonsImport(actor: Actor, id: string) {
      return listView(await loadOwn(actor, id));
    },

    /** One transaction: rows are matched again by key against today's persons, then inserted or updated. */
    async commitPersons(actor: Actor, id: string) {
      const imp = await loadOwn(actor, id);
      const summary = imp.summary as { error: number; unchanged: number };
      if (imp.status === 'committed') throw conflict('Lần nhập này đã được ghi rồi.', 'IMPORT_ALREADY_COMMITTED');
      if (summary.error > 0)
        throw conflict(`Bản xem trước còn ${summary.error} dòng lỗi nên không ghi gì cả.`, 'IMPORT_HAS_ERRORS');
      const plans = (imp.rows as ListRow<Plan>[]).filter((r) => r.plan).map((r) => r.plan!);
      const now = clock.now();
      const counts = await db.transaction(async (tx) => {
        if (!(await markCommitted(tx, id, now)))
          throw conflict('Lần nhập này đã được ghi rồi.', 'IMPORT_ALREADY_COMMITTED');
        const byKey = new Map((await repo.communePersons(tx, imp.communeId)).map((p) => [keyOf(p), p]));
        const inserts: Parameters<typeof repo.insertPersons>[1] = [];
        let updated = 0;
        for (const p of plans) {
          const fields = {
            householdId: p.householdId,
            unitId: p.unitId,
            fullName: p.fullName,
            birthYear: p.birthYear,
            relation: p.relation,
            phone: p.phone,
            cdhtGroup: p.cdhtGroup,
            inSchool: p.inSchool,
            isWorker: p.isWorker ?? false,
            externalKey: p.key,
            updatedAt: now,
          };
          const cur = byKey.get(p.key);
          if (cur) {
            await repo.updatePersonFromImport(tx, cur.id, fields);
            updated++;
          } else inserts.push({ id: randomUUID(), communeId: imp.communeId, ...fields, createdAt: now });
        }
        await repo.insertPersons(tx, inserts);
        const result = { created: inserts.length, updated, unchanged: summary.unchanged };
        await appendAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'import.commit',
          entityType: 'import',
          entityId: id,
          data: { kind: 'persons', ...result, fileSha256: imp.fileSha256 },
        });
        return result;
      });
      return {
        id,
        status: 'committed' as const,
        ...counts,
        message: `Đã thêm ${counts.created} người, cập nhật ${counts.updated} người; ${counts.unchanged} người không đổi.`,
      };
    },
  };
}

export type PersonsImportService = ReturnType<typeof createPersonsImportService>;
