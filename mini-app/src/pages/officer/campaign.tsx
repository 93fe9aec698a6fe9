import { useEffect, useState } from 'react';
import { SUBJECT_TYPES, TITLE_LABELS, type SubjectType } from '@hoctap/shared';
import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { ErrorState, InlineError, LoadingState, Screen } from '../../components/screen.tsx';
import { TextField } from '../../components/text-field.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { readJson, removeKey, stableId, forgetId, writeJson } from '../../services/drafts.ts';
import { endOfDayVn, isoDay } from '../../services/format.ts';
import type { Campaign, CriteriaSetSummary, Me } from '../../services/types.ts';
import { useOfficerCampaign } from './home.tsx';
import { setIdIsProvisional } from '../../components/provisional-badge.tsx';
import { Button } from 'zmp-ui';

const MILESTONES = [
  ['registrationOpensAt', 'Mở đăng ký'],
  ['selfAssessmentDueAt', 'Hạn tự đánh giá'],
  ['verificationDueAt', 'Hạn tổ xác minh'],
  ['recognitionDueAt', 'Hạn ra quyết định công nhận'],
  ['reportDueAt', 'Hạn báo cáo'],
] as const;
type MilestoneKey = (typeof MILESTONES)[number][0];

export interface CampaignForm {
  title: string;
  year: number;
  sets: Partial<Record<SubjectType, string>>;
  days: Record<MilestoneKey, string>;
}

/**
 * The plan's calendar: recognition decided by 15/11 and the report sent by 20/11 (the usual dates
 * of the provincial plans; a province with other dates passes its own). Earlier milestones are
 * counted back from recognition so each step has its time.
 */
export interface PlanCalendar {
  /** "MM-DD" */
  recognitionBy: string;
  reportBy: string;
}
export const DEFAULT_PLAN: PlanCalendar = { recognitionBy: '11-15', reportBy: '11-20' };

export function defaultForm(now = new Date(), plan: PlanCalendar = DEFAULT_PLAN): CampaignForm {
  const year = now.getFullYear();
  const day = (d: Date) => isoDay(d);
  const back = (iso: string, days: number) => day(new Date(new Date(`${iso}T12:00:00`).getTime() - days * 86_400_000));
  const today = day(now);
  const recognition = `${year}-${plan.recognitionBy}`;
  const report = `${year}-${plan.reportBy}`;
  const plus = (d: number) => day(new Date(now.getTime() + d * 86_400_000));
  // Past the plan's dates (a late start): keep the order, starting today; the form warns.
  const late = back(recognition, 25) <= today;
  return {
    title: `Đánh giá, công nhận danh hiệu học tập năm ${year}`,
    year,
    sets: {},
    days: late
      ? {
          registrationOpensAt: today,
          selfAssessmentDueAt: plus(30),
          verificationDueAt: plus(45),
          recognitionDueAt: plus(60),
          reportDueAt: plus(70),
        }
      : {
          registrationOpensAt: today,
          selfAssessmentDueAt: back(recognition, 25),
          verificationDueAt: back(recognition, 10),
          recognitionDueAt: recognition,
          reportDueAt: report,
        },
  };
}

/** Milestones that fall after the plan's dates (a warning, not an error: the commune decides). */
export function planWarnings(f: CampaignForm, plan: PlanCalendar = DEFAULT_PLAN): Record<string, string> {
  const w: Record<string, string> = {};
  const dm = (mmdd: string) => `${mmdd.slice(3)}/${mmdd.slice(0, 2)}`;
  if (f.days.recognitionDueAt > `${f.year}-${plan.recognitionBy}`)
    w.recognitionDueAt = `Sau ngày ${dm(plan.recognitionBy)} trong kế hoạch năm: hãy kiểm tra lại với kế hoạch của tỉnh.`;
  if (f.days.reportDueAt > `${f.year}-${plan.reportBy}`)
    w.reportDueAt = `Sau ngày ${dm(plan.reportBy)} trong kế hoạch năm: báo cáo có thể bị trễ hạn của huyện/tỉnh.`;
  return w;
}

function formOf(c: Campaign): CampaignForm {
  const days = {} as Record<MilestoneKey, string>;
  for (const [k] of MILESTONES) days[k] = isoDay(new Date(c[k]));
  return { title: c.title, year: c.year, sets: { ...c.criteriaSetIds }, days };
}

/** Vietnamese problems of the form, by field; empty when it can be sent. */
export function validateCampaign(f: CampaignForm): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.title.trim()) e.title = 'Hãy nhập tên đợt đánh giá.';
  if (!Number.isInteger(f.year) || f.year < 2000 || f.year > 2100) e.year = 'Năm không hợp lệ.';
  let prev = '';
  for (const [k, label] of MILESTONES) {
    const v = f.days[k];
    if (!v) e[k] = `Hãy chọn ngày “${label}”.`;
    else if (prev && v < prev) e[k] = `“${label}” phải sau mốc trước.`;
    if (v) prev = v;
  }
  return e;
}

/**
 * One short line per set: the legal basis that tells sets apart (the shared title prefix
 * "Tiêu chí đánh giá, công nhận danh hiệu …" is cut), and "tạm thời" when not official.
 */
export function setOptionLabel(s: Pick<CriteriaSetSummary, 'id' | 'title' | 'version'>): string {
  const name = /["“]([^"”]+)["”]/.exec(s.title)?.[1];
  const basis = (/\(([^)]*)\)\s*$/.exec(s.title)?.[1] ?? '')
    .replace(/^Phần [A-Z], /, '')
    .replace(/^Bộ tiêu chí ban hành /, '')
    .replace(/Quyết định /g, 'QĐ ')
    .replace(/Thông tư /g, 'TT ');
  const head = name ? `“${name}”${basis ? ` · ${basis}` : ''}` : s.title;
  const version = /^\d+$/.test(s.version) ? '' : ` (${s.version})`;
  const mark = setIdIsProvisional(s.id) && !head.includes('tạm thời') ? ' — tạm thời' : '';
  return `${head}${version}${mark}`;
}

export default function CampaignPage({ me, onBack }: { me: Me; onBack: () => void }) {
  const c = useOfficerCampaign(me);
  return (
    <Screen title={c.data?.campaign ? 'Sửa đợt đánh giá' : 'Mở đợt đánh giá'} onBack={onBack}>
      {c.loading && !c.data ? (
        <LoadingState />
      ) : c.error && !c.data ? (
        <ErrorState error={c.error} onRetry={c.reload} />
      ) : c.data!.commune ? (
        <CampaignFormView communeId={c.data!.commune.unitId} campaign={c.data!.campaign} onSaved={onBack} />
      ) : (
        <ErrorState error={new Error('Tài khoản chưa được giao phụ trách xã nào.')} />
      )}
    </Screen>
  );
}

function CampaignFormView({
  communeId,
  campaign,
  onSaved,
}: {
  communeId: string;
  campaign: Campaign | undefined;
  onSaved: () => void;
}) {
  const api = useApi();
  const key = `campaign-form:${campaign?.id ?? 'new'}`;
  const [form, setForm] = useState<CampaignForm>(
    () => readJson<CampaignForm>(key) ?? (campaign ? formOf(campaign) : defaultForm()),
  );
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const sets = useAsync(() => api.criteriaSets(), [api]);
  useEffect(() => writeJson(key, form), [key, form]);
  const errors = validateCampaign(form);
  const warnings = planWarnings(form);

  const byType = (t: SubjectType): CriteriaSetSummary[] => (sets.data ?? []).filter((s) => s.subjectType === t);
  const save = async () => {
    setShowErrors(true);
    setError(undefined);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    const milestones = Object.fromEntries(
      MILESTONES.map(([k]) => [
        k,
        k === 'registrationOpensAt' ? `${form.days[k]}T00:00:00+07:00` : endOfDayVn(form.days[k]),
      ]),
    ) as Record<MilestoneKey, string>;
    const criteriaSetIds = Object.fromEntries(Object.entries(form.sets).filter(([, v]) => v));
    try {
      if (campaign) {
        await api.patchCampaign(campaign.id, {
          title: form.title.trim(),
          ...milestones,
          ...(Object.keys(criteriaSetIds).length ? { criteriaSetIds } : {}),
        });
      } else {
        const idName = `campaign:${communeId}:${form.year}`;
        await api.createCampaign({
          id: stableId(idName),
          communeId,
          year: form.year,
          title: form.title.trim(),
          ...milestones,
          ...(Object.keys(criteriaSetIds).length ? { criteriaSetIds } : {}),
        });
        forgetId(idName);
      }
      removeKey(key);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const err = (k: string) => (showErrors && errors[k]) || undefined;
  return (
    <>
      <TextField
        label="Tên đợt đánh giá"
        value={form.title}
        onChange={(e) => setForm({ ...form, title: e.target.value })}
        error={err('title')}
      />
      {!campaign && (
        <TextField
          label="Năm"
          inputMode="numeric"
          value={String(form.year)}
          onChange={(e) => setForm({ ...form, year: Number(e.target.value.replace(/\D/g, '')) })}
          error={err('year')}
        />
      )}
      <section className="card">
        <h2 className="card-title">Bộ tiêu chí</h2>
        {sets.loading && !sets.data && <LoadingState label="Đang tải bộ tiêu chí…" />}
        {sets.error !== undefined && !sets.data && <ErrorState error={sets.error} onRetry={sets.reload} />}
        {sets.data &&
          SUBJECT_TYPES.map((t) => (
            <div key={t} className="stack-tight">
              <SelectField
                label={TITLE_LABELS[t]}
                value={form.sets[t] ?? ''}
                onChange={(v) => setForm({ ...form, sets: { ...form.sets, [t]: v } })}
                disabled={campaign !== undefined && byType(t).every((s) => s.inUse)}
                options={[
                  { value: '', label: 'Mặc định (bộ tiêu chí kèm theo ứng dụng)' },
                  ...byType(t).map((s) => ({ value: s.id, label: setOptionLabel(s) })),
                ]}
              />
              {/* A closed select shows one line; at 360 px a set's name is cut, so it is repeated in full. */}
              <span className="small set-chosen">
                {(() => {
                  const chosen = byType(t).find((s) => s.id === form.sets[t]);
                  return chosen ? setOptionLabel(chosen) : 'Mặc định (bộ tiêu chí kèm theo ứng dụng)';
                })()}
              </span>
            </div>
          ))}
        {campaign && <p className="small">Chỉ đổi được bộ tiêu chí khi chưa có hộ nào đăng ký.</p>}
      </section>
      <section className="card">
        <h2 className="card-title">Các mốc thời gian</h2>
        {MILESTONES.map(([k, label]) => (
          <div key={k} className="stack-tight">
            <TextField
              label={label}
              type="date"
              value={form.days[k]}
              onChange={(e) => setForm({ ...form, days: { ...form.days, [k]: e.target.value } })}
              error={err(k)}
            />
            {warnings[k] && (
              <p className="note-warn" role="note">
                {warnings[k]}
              </p>
            )}
          </div>
        ))}
      </section>
      <InlineError error={error} />
      <Button variant="primary" fullWidth disabled={busy} onClick={() => void save()}>
        {busy ? 'Đang lưu…' : campaign ? 'Lưu thay đổi' : 'Mở đợt đánh giá'}
      </Button>
    </>
  );
}
