import type { Readable } from 'node:stream';
import {
  ASSESSMENT_STATE_LABELS,
  ASSESSMENT_STATES,
  formatCount,
  SUBJECT_TYPE_LABELS,
  TITLE_LABELS,
} from '@hoctap/shared';
import type { SubjectType } from '../../db/schema/index.ts';
import type { Db } from '../../db/types.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import type { BlobStore } from '../../storage/index.ts';
import { assertOfficerOf, locate, type Place } from '../reports/place.ts';
import * as reportsRepo from '../reports/reports.repo.ts';
import type { createReportService } from '../reports/reports.service.ts';
import * as repo from './exports.repo.ts';
import { csvLine, officialName, placeOf, slug, UTF8_BOM, vnDateTime } from './files.ts';
import type { DecisionInfo } from './pdf.ts';
import type { Render } from './render.ts';
import { evidenceZip, type ZipPhoto } from './zip.ts';
import type { CertificateService } from '../certificates/certificates.service.ts';
import { formatCode } from '../certificates/codes.ts';

/** "Công dân học tập tiêu biểu xuất sắc (5 năm liên tục)", or null without an honour. */
function honourText(r: Pick<repo.ListRow, 'honour' | 'consecutiveYears'>): string | null {
  if (!r.honour) return null;
  return r.consecutiveYears ? `${r.honour} (${formatCount(r.consecutiveYears)} năm liên tục)` : r.honour;
}

export interface FileOut {
  fileName: string;
  contentType: string;
  body: Buffer | Readable | string;
}

/**
 * Files with names in them (XLSX, CSV, PDF, ZIP): commune officers of that commune only; anyone
 * else gets 404, the same as for an id that does not exist.
 */
export function createExportService(deps: {
  db: Db;
  clock: Clock;
  blobs: BlobStore;
  reports: ReturnType<typeof createReportService>;
  /** Verification codes printed on certificates (minted here for decisions issued before codes). */
  certificates?: Pick<CertificateService, 'codesFor'>;
  /** Builds the file bytes (on a worker thread in the app: render-pool.ts). */
  render: Render;
  onStreamError?: (err: unknown) => void;
}) {
  const { db, clock, blobs, reports, render } = deps;

  /** Commune or hamlet of the campaign's commune, for an officer of that commune. */
  async function officerPlace(
    actor: Actor,
    campaignId: string,
    unitId: string,
  ): Promise<{ place: Place; campaign: reportsRepo.CampaignRow }> {
    const place = await locate(db, unitId);
    if (!place?.commune || (place.unit.level !== 'commune' && place.unit.level !== 'hamlet')) throw notFound();
    assertOfficerOf(actor, place.commune.id);
    const campaign = await reportsRepo.findCampaign(db, campaignId);
    if (!campaign || campaign.communeId !== place.commune.id) throw notFound();
    return { place, campaign };
  }

  async function unitNames(ids: (string | null)[]) {
    const rows = await reportsRepo.findUnits(
      db,
      ids.filter((x): x is string => !!x),
    );
    return new Map(rows.map((u) => [u.id, u.name]));
  }

  async function decisionFor(actor: Actor, id: string) {
    const decision = await repo.findDecision(db, id);
    if (!decision) throw notFound();
    const campaign = await reportsRepo.findCampaign(db, decision.campaignId);
    if (!campaign) throw notFound();
    assertOfficerOf(actor, campaign.communeId);
    const [commune] = await reportsRepo.findUnits(db, [campaign.communeId]);
    const items = await repo.recognisedBy(db, decision.id);
    const names = await unitNames(items.flatMap((i) => [i.hamletId, i.groupId]));
    const info: DecisionInfo = {
      number: decision.number,
      decidedOn: decision.decidedOn,
      signer: decision.signer,
      signerTitle: decision.signerTitle,
      subjectType: decision.subjectType,
      year: campaign.year,
      communeName: commune ? officialName(commune.kind, commune.name) : '',
      placeName: commune ? placeOf(commune.kind, commune.name) : '',
    };
    return { decision, campaign, info, items, names };
  }

  return {
    async reportXlsx(actor: Actor, q: { campaignId: string; unitId: string }): Promise<FileOut> {
      const province = await locate(db, q.unitId);
      if (province?.unit.level === 'province') {
        // Figures only, no names: whoever reads the province's summary (its viewers) downloads it.
        const summary = await reports.summary(actor, q);
        return {
          fileName: `Tổng hợp danh hiệu học tập ${summary.year} - ${province.unit.name}.xlsx`,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          body: await render({ kind: 'province-xlsx', summary, now: clock.now() }),
        };
      }
      const { place, campaign } = await officerPlace(actor, q.campaignId, q.unitId);
      const summary = await reports.summary(actor, q);
      const rows = await repo.listAssessments(db, {
        campaignId: campaign.id,
        state: 'recognised',
        ...(place.unit.level === 'hamlet' ? { hamletId: place.unit.id } : {}),
      });
      const names = await unitNames(rows.map((r) => r.hamletId));
      const decisionNo = new Map((await repo.decisionsOf(db, campaign.id)).map((d) => [d.id, d.number]));
      const recognised = rows
        .map((r) => ({
          subjectType: r.subjectType,
          hamletName: r.hamletId ? (names.get(r.hamletId) ?? '') : 'Cấp xã',
          name: r.subjectName,
          certificateNo: r.certificateNo,
          decisionNumber: r.decisionId ? (decisionNo.get(r.decisionId) ?? null) : null,
        }))
        .sort((a, b) => a.hamletName.localeCompare(b.hamletName, 'vi') || a.name.localeCompare(b.name, 'vi'));
      const body = await render({
        kind: 'report-xlsx',
        summary,
        communeName: place.commune!.name,
        recognised,
        now: clock.now(),
      });
      return {
        fileName: `Báo cáo danh hiệu học tập ${campaign.year} - ${place.unit.name}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        body,
      };
    },

    async listsCsv(
      actor: Actor,
      q: { campaignId: string; unitId: string; subjectType: SubjectType; state?: string },
    ): Promise<FileOut> {
      if (q.state && !(ASSESSMENT_STATES as readonly string[]).includes(q.state))
        throw badRequest('Trạng thái không hợp lệ.', 'BAD_STATE');
      const { place, campaign } = await officerPlace(actor, q.campaignId, q.unitId);
      const rows = await repo.listAssessments(db, {
        campaignId: campaign.id,
        subjectType: q.subjectType,
        ...(q.state ? { state: q.state } : {}),
        ...(place.unit.level === 'hamlet' ? { hamletId: place.unit.id } : {}),
      });
      const names = await unitNames(rows.flatMap((r) => [r.hamletId, r.groupId]));
      const decisionNo = new Map((await repo.decisionsOf(db, campaign.id)).map((d) => [d.id, d.number]));
      let out =
        UTF8_BOM +
        csvLine([
          'STT',
          'Loại đối tượng',
          'Tên',
          'Ấp/khóm',
          'Tổ',
          'Trạng thái',
          'Điểm tự đánh giá',
          'Điểm xác minh',
          'Điểm xã chấm',
          'Ngày nộp',
          'Ngày xác minh',
          'Số quyết định',
          'Số giấy chứng nhận',
        ]);
      rows.forEach((r, i) => {
        out += csvLine([
          i + 1,
          SUBJECT_TYPE_LABELS[r.subjectType],
          r.subjectName,
          r.hamletId ? (names.get(r.hamletId) ?? '') : '',
          r.groupId ? (names.get(r.groupId) ?? '') : '',
          ASSESSMENT_STATE_LABELS[r.state as keyof typeof ASSESSMENT_STATE_LABELS] ?? r.state,
          r.selfTotal,
          r.verifiedTotal,
          r.communeTotal,
          vnDateTime(r.submittedAt),
          vnDateTime(r.verifiedAt),
          r.decisionId ? (decisionNo.get(r.decisionId) ?? '') : '',
          r.certificateNo ?? '',
        ]);
      });
      const what = q.state ? ASSESSMENT_STATE_LABELS[q.state as keyof typeof ASSESSMENT_STATE_LABELS] : 'tất cả';
      return {
        fileName: `Danh sách ${TITLE_LABELS[q.subjectType]} ${campaign.year} - ${place.unit.name} - ${what}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: out,
      };
    },

    async decisionListPdf(actor: Actor, decisionId: string): Promise<FileOut> {
      const { info, items, names } = await decisionFor(actor, decisionId);
      const doc = await render({
        kind: 'decision-list-pdf',
        info,
        items: items.map((r) => ({
          name: r.subjectName,
          hamletName: r.hamletId ? (names.get(r.hamletId) ?? '') : '',
          groupName: r.groupId ? (names.get(r.groupId) ?? '') : '',
          points: r.communeTotal ?? r.verifiedTotal ?? r.selfTotal,
          certificateNo: r.certificateNo,
          honour: honourText(r),
        })),
      });
      return { fileName: `Danh sách kèm Quyết định ${info.number}.pdf`, contentType: 'application/pdf', body: doc };
    },

    async certificatesPdf(actor: Actor, decisionId: string): Promise<FileOut> {
      const { decision, info, items, names } = await decisionFor(actor, decisionId);
      // A revoked decision's certificates are void: printing them again would only mislead.
      if (decision.revokedAt) throw conflict(undefined, 'DECISION_REVOKED');
      const codes = (await deps.certificates?.codesFor(decisionId)) ?? new Map<string, { code: string; url: string }>();
      const doc = await render({
        kind: 'certificates-pdf',
        info,
        items: items.map((r) => {
          const c = codes.get(r.id);
          return {
            name: r.subjectName,
            hamletName: r.hamletId ? (names.get(r.hamletId) ?? '') : '',
            certificateNo: r.certificateNo,
            honour: honourText(r),
            verify: c ? { url: c.url, code: formatCode(c.code) } : null,
          };
        }),
      });
      return {
        fileName: `Giấy chứng nhận ${TITLE_LABELS[info.subjectType]} - Quyết định ${info.number}.pdf`,
        contentType: 'application/pdf',
        body: doc,
      };
    },

    async evidenceZip(actor: Actor, q: { campaignId: string; hamletId: string }): Promise<FileOut> {
      const { place, campaign } = await officerPlace(actor, q.campaignId, q.hamletId);
      if (place.unit.level !== 'hamlet') throw badRequest('Chọn một ấp/khóm.', 'HAMLET_REQUIRED');
      const rows = await repo.evidenceOfHamlet(db, campaign.id, place.unit.id);
      const names = await unitNames(rows.map((r) => r.groupId));
      const perFile = new Map<string, number>();
      const photos: ZipPhoto[] = rows.map((r) => {
        const dir = `${slug(place.unit.name)}/${slug(r.subjectName, 40)}-${r.subjectId.slice(0, 8)}`;
        const stem = `${dir}/${slug(r.indicatorCode.replace(/\./g, '_'), 20)}`;
        const n = (perFile.get(stem) ?? 0) + 1;
        perFile.set(stem, n);
        return {
          path: `${stem}-${n}.jpg`,
          imageKey: r.imageKey,
          evidenceId: r.id,
          subjectId: r.subjectId,
          subjectLabel: SUBJECT_TYPE_LABELS[r.subjectType],
          subjectName: r.subjectName,
          groupName: r.groupId ? (names.get(r.groupId) ?? '') : '',
          indicatorCode: r.indicatorCode,
          capturedAt: r.capturedAt,
          uploadedAt: r.createdAt,
        };
      });
      return {
        fileName: `Minh chứng ${campaign.year} - ${place.unit.name}.zip`,
        contentType: 'application/zip',
        body: evidenceZip(blobs, photos, deps.onStreamError ?? (() => {})),
      };
    },
  };
}
