/**
 * Consistency checker: the invariants a crash, a restore or a bug must never break.
 *
 *   1. Every live evidence row has the blobs its state needs: a `processing` photo its original
 *      (stored before the row commits), a `ready` photo its image and thumbnail (stored before the
 *      row turns ready); a `failed` photo needs none. "Blob first, then row" makes a missing blob
 *      impossible unless something is wrong.
 *   2. Every blob (derivatives under sha256/, originals under originals/) is referenced by a live
 *      evidence row, or is a pending upload: a blob written by an upload that has not committed its
 *      row yet (or died before it did) is younger than the sweeper's grace period and is not a
 *      problem; older unreferenced blobs are (the sweeper is not running, or rows were deleted
 *      behind its back).
 *   3. Every decided result (recognised / not_recognised) has its decision: the decision row
 *      exists, belongs to the same campaign and title, recognised results carry a certificate
 *      number, and the decision's counts equal its results.
 *   4. The maintained counts (assessment_counts, per hamlet, commune and province) equal a
 *      recount of the assessments.
 *   5. The maintained registry denominators (registry_counts) equal a recount of the registry.
 *
 * Read-only: it reports, it never repairs. Run it after a fault test, after a restore, or from
 * cron (`npm run check:consistency`).
 */
import type { Db } from '../db/types.ts';
import * as repo from './consistency.repo.ts';
import { DEFAULT_SWEEP_GRACE_MS, parseEvidenceBlobKey, type BlobStore } from '../storage/index.ts';

export type ProblemKind =
  | 'evidence_blob_missing'
  | 'blob_unreferenced'
  | 'decision_missing'
  | 'decision_mismatch'
  | 'certificate_missing'
  | 'decision_counts'
  | 'counts_mismatch'
  | 'registry_counts_mismatch';

export interface Problem {
  kind: ProblemKind;
  /** Vietnamese, for the operator. */
  vi: string;
  en: string;
  /** Ids and keys only: never names, phones or addresses. */
  detail: Record<string, string | number | null>;
}

export interface ConsistencyReport {
  ok: boolean;
  problems: Problem[];
  checked: {
    evidenceRows: number;
    blobs: number;
    /** Unreferenced blobs still inside the grace period (uploads in flight or cut short). */
    pendingBlobs: number;
    /** Blobs of removed photos, left for the sweeper. */
    awaitingSweep: number;
    decidedResults: number;
    countRows: number;
  };
}

export interface CheckOptions {
  /** Unreferenced blobs younger than this are pending uploads (default: the sweeper's grace). */
  pendingGraceMs?: number;
  now?: Date;
}

const ORIGINAL_KEY = /^originals\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isEvidenceBlob = (key: string) => parseEvidenceBlobKey(key) !== null || ORIGINAL_KEY.test(key);

export async function checkConsistency(
  deps: { db: Db; blobs: Pick<BlobStore, 'list' | 'stat'> },
  options: CheckOptions = {},
): Promise<ConsistencyReport> {
  const { db, blobs } = deps;
  const now = options.now ?? new Date();
  const graceMs = options.pendingGraceMs ?? DEFAULT_SWEEP_GRACE_MS;
  const problems: Problem[] = [];
  const checked = { evidenceRows: 0, blobs: 0, pendingBlobs: 0, awaitingSweep: 0, decidedResults: 0, countRows: 0 };

  // 1. Rows → blobs. A processed photo needs its image and thumbnail; one waiting for the worker
  // needs its original (the image may already exist when the same bytes were processed before).
  const rows = await repo.evidenceBlobRefs(db);
  const referenced = new Set<string>();
  // Blobs of removed photos wait for the sweeper (rows first, blobs after): not a problem.
  const removed = new Set<string>();
  for (const row of rows) {
    const keys = [row.image_key, row.thumb_key, ...(row.original_key ? [row.original_key] : [])];
    if (row.deleted) {
      for (const key of keys) removed.add(key);
      continue;
    }
    checked.evidenceRows++;
    for (const key of keys) referenced.add(key);
    const required =
      row.state === 'ready' ? [row.image_key, row.thumb_key] : row.state === 'processing' ? [row.original_key] : [];
    for (const key of required) {
      if (key && (await blobs.stat(key))) continue;
      problems.push({
        kind: 'evidence_blob_missing',
        vi: `Ảnh minh chứng ${row.id} thiếu tệp ${key ?? '(ảnh gốc chờ xử lý)'}.`,
        en: `evidence ${row.id} has no blob ${key ?? '(original awaiting processing)'}`,
        detail: { evidenceId: row.id, key },
      });
    }
  }

  // 2. Blobs → rows (or pending).
  for (const prefix of ['sha256/', 'originals/']) {
    for await (const blob of blobs.list(prefix)) {
      checked.blobs++;
      if (referenced.has(blob.key)) continue;
      if (removed.has(blob.key)) {
        checked.awaitingSweep++;
        continue;
      }
      const ageMs = now.getTime() - blob.lastModified.getTime();
      if (ageMs <= graceMs && isEvidenceBlob(blob.key)) {
        checked.pendingBlobs++;
        continue;
      }
      problems.push({
        kind: 'blob_unreferenced',
        vi: `Tệp ${blob.key} không thuộc ảnh minh chứng nào (đã ${Math.round(ageMs / 3600_000)} giờ).`,
        en: `blob ${blob.key} is referenced by no evidence row (${Math.round(ageMs / 3600_000)} h old)`,
        detail: { key: blob.key, ageHours: Math.round(ageMs / 3600_000) },
      });
    }
  }

  // 3. Decided results → decisions.
  const decided = await repo.decidedResults(db);
  for (const a of decided) {
    checked.decidedResults++;
    if (!a.d_id) {
      problems.push({
        kind: 'decision_missing',
        vi: `Hồ sơ ${a.id} đã có kết quả nhưng không có quyết định công nhận.`,
        en: `assessment ${a.id} is ${a.state} without a decision`,
        detail: { assessmentId: a.id, decisionId: a.decision_id },
      });
      continue;
    }
    if (a.d_campaign !== a.campaign_id || a.d_type !== a.subject_type) {
      problems.push({
        kind: 'decision_mismatch',
        vi: `Hồ sơ ${a.id} trỏ tới quyết định ${a.d_id} của đợt hoặc danh hiệu khác.`,
        en: `assessment ${a.id} points at decision ${a.d_id} of another campaign or title`,
        detail: { assessmentId: a.id, decisionId: a.d_id },
      });
    }
    if (a.state === 'recognised' && !a.certificate_no) {
      problems.push({
        kind: 'certificate_missing',
        vi: `Hồ sơ ${a.id} được công nhận nhưng không có số giấy công nhận.`,
        en: `assessment ${a.id} is recognised without a certificate number`,
        detail: { assessmentId: a.id },
      });
    }
  }
  const decisionCounts = await repo.decisionCounts(db);
  for (const d of decisionCounts) {
    if (Number(d.rc) !== Number(d.r) || Number(d.nrc) !== Number(d.nr)) {
      problems.push({
        kind: 'decision_counts',
        vi: `Quyết định ${d.id} ghi ${d.rc} công nhận / ${d.nrc} không công nhận, đếm lại được ${d.r} / ${d.nr}.`,
        en: `decision ${d.id} says ${d.rc} recognised / ${d.nrc} not, recount ${d.r} / ${d.nr}`,
        detail: { decisionId: d.id, stored: `${d.rc}/${d.nrc}`, recount: `${d.r}/${d.nr}` },
      });
    }
  }

  // 4. Maintained counts = recount (rows at zero and missing rows are the same thing).
  const diffs = await repo.countDiffs(db);
  checked.countRows = await repo.countRowTotal(db);
  for (const d of diffs) {
    problems.push({
      kind: 'counts_mismatch',
      vi: `Số đếm ${d.subject_type}/${d.state} của đơn vị ${d.unit_id} (đợt ${d.campaign_id}) là ${d.stored}, đếm lại được ${d.recount}.`,
      en: `count ${d.subject_type}/${d.state} of unit ${d.unit_id} (campaign ${d.campaign_id}) is ${d.stored}, recount ${d.recount}`,
      detail: {
        campaignId: d.campaign_id,
        unitId: d.unit_id,
        subjectType: d.subject_type,
        state: d.state,
        stored: Number(d.stored),
        recount: Number(d.recount),
      },
    });
  }

  // 5. Registry denominators (maintained by triggers) = recount of the registry.
  for (const d of await repo.registryDiffs(db)) {
    problems.push({
      kind: 'registry_counts_mismatch',
      vi: `Số ${d.subject_type} trong sổ của xã ${d.commune_id}, ấp ${d.hamlet_key} là ${d.stored}, đếm lại được ${d.recount}.`,
      en: `registry count ${d.subject_type} of commune ${d.commune_id}, hamlet ${d.hamlet_key} is ${d.stored}, recount ${d.recount}`,
      detail: {
        communeId: d.commune_id,
        hamletKey: d.hamlet_key,
        subjectType: d.subject_type,
        stored: Number(d.stored),
        recount: Number(d.recount),
      },
    });
  }

  return { ok: problems.length === 0, problems, checked };
}

/** The report as printed by `npm run check:consistency`: Vietnamese first, English below each line. */
export function formatReport(report: ConsistencyReport): string {
  const c = report.checked;
  const lines = [
    'Kiểm tra tính nhất quán dữ liệu (consistency check)',
    `  Ảnh minh chứng: ${c.evidenceRows} · tệp ảnh: ${c.blobs} (đang tải lên: ${c.pendingBlobs}, chờ dọn: ${c.awaitingSweep}) · kết quả đã quyết định: ${c.decidedResults} · dòng số đếm: ${c.countRows}`,
    `  (evidence rows ${c.evidenceRows}, blobs ${c.blobs} of which pending ${c.pendingBlobs} and awaiting sweep ${c.awaitingSweep}, decided results ${c.decidedResults}, count rows ${c.countRows})`,
  ];
  if (report.ok) {
    lines.push('KẾT QUẢ: không có vấn đề nào. (OK: no problems found)');
    return lines.join('\n');
  }
  lines.push(`KẾT QUẢ: ${report.problems.length} vấn đề. (${report.problems.length} problem(s) found)`);
  for (const p of report.problems) lines.push(`  - [${p.kind}] ${p.vi}`, `    ${p.en}`);
  return lines.join('\n');
}
