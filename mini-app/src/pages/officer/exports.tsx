import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, LoadingState, Screen } from '../../components/screen.tsx';
import { DownloadButton } from '../../components/download-button.tsx';
import { formatDate } from '../../services/format.ts';
import type { Me } from '../../services/types.ts';
import { useOfficerCampaign } from './home.tsx';
import { DecisionDownloads } from './recognition.tsx';

export default function ExportsPage({ me, onBack }: { me: Me; onBack: () => void }) {
  const api = useApi();
  const c = useOfficerCampaign(me);
  const campaign = c.data?.campaign;
  const commune = c.data?.commune;
  const decisions = useAsync(async () => (campaign ? api.decisions(campaign.id) : []), [api, campaign?.id]);
  let body;
  if (c.loading && !c.data) body = <LoadingState />;
  else if (c.error && !c.data) body = <ErrorState error={c.error} onRetry={c.reload} />;
  else if (!campaign || !commune) body = <EmptyState title="Chưa có đợt đánh giá." />;
  else {
    const q = { campaignId: campaign.id, unitId: commune.unitId };
    body = (
      <>
        <section className="card">
          <h2 className="card-title">Báo cáo và danh sách</h2>
          <DownloadButton
            label="Tải báo cáo (Excel)"
            path="/api/v1/exports/report.xlsx"
            query={q}
            fileName={`bao-cao-${campaign.year}.xlsx`}
          />
          <DownloadButton
            label="Tải danh sách hộ (CSV)"
            path="/api/v1/exports/lists.csv"
            query={{ ...q, subjectType: 'household' }}
            fileName={`danh-sach-ho-${campaign.year}.csv`}
          />
        </section>
        <section className="card">
          <h2 className="card-title">Quyết định và giấy công nhận</h2>
          {decisions.loading && !decisions.data ? (
            <LoadingState />
          ) : decisions.error && !decisions.data ? (
            <ErrorState error={decisions.error} onRetry={decisions.reload} />
          ) : (decisions.data ?? []).length === 0 ? (
            <p className="small">Chưa có quyết định công nhận nào.</p>
          ) : (
            decisions.data!.map((d) => (
              <div key={d.id} className="stack">
                <p>
                  <strong>QĐ số {d.number}</strong> ngày {formatDate(d.decidedOn)}
                </p>
                <DecisionDownloads id={d.id} number={d.number} />
              </div>
            ))
          )}
        </section>
      </>
    );
  }
  return (
    <Screen title="Tải báo cáo" onBack={onBack}>
      {body}
    </Screen>
  );
}
