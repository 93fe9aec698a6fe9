import { useApi } from '../../hooks/use-api.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { EmptyState, ErrorState, LoadingState, Screen } from '../../components/screen.tsx';
import { formatDateTime } from '../../services/format.ts';
import type { Me, MessageLogItem } from '../../services/types.ts';
import { officerCommune } from './home.tsx';
import { Button } from 'zmp-ui';

const STATUS: Record<MessageLogItem['status'], { label: string; tone: string }> = {
  pending: { label: 'Chờ gửi', tone: 'info' },
  sending: { label: 'Đang gửi', tone: 'info' },
  sent: { label: 'Đã gửi', tone: 'good' },
  logged: { label: 'Chỉ ghi lại', tone: 'neutral' },
  skipped: { label: 'Bỏ qua kênh này', tone: 'warn' },
  uncertain: { label: 'Chưa rõ đã đến chưa', tone: 'warn' },
  dead: { label: 'Gửi thất bại', tone: 'bad' },
};
const CHANNEL: Record<MessageLogItem['channel'], string> = {
  gmf: 'Nhóm Zalo',
  miniapp: 'Thông báo ứng dụng',
  zbs: 'Tin nhắn Zalo',
};

export default function MessagesPage({ me, onBack }: { me: Me; onBack: () => void }) {
  const api = useApi();
  const commune = officerCommune(me);
  const page = useAsync(() => api.messages(commune ? { communeId: commune.unitId } : {}), [api, commune?.unitId]);
  let body;
  if (page.loading && !page.data) body = <LoadingState label="Đang tải nhật ký tin nhắn…" />;
  else if (page.error && !page.data) body = <ErrorState error={page.error} onRetry={page.reload} />;
  else {
    const items = page.data!.items;
    body = (
      <>
        {page.data!.demo && (
          <p className="banner banner-info">
            Chưa kết nối Zalo: tin nhắn chỉ được ghi lại và đưa vào hộp thư trong ứng dụng.
          </p>
        )}
        {items.length === 0 ? (
          <EmptyState title="Chưa có tin nhắn nào được gửi." />
        ) : (
          <ul className="list">
            {items.map((m) => (
              <li key={m.id} className="list-item msg-log">
                <span className="row">
                  <span className={`chip chip-${STATUS[m.status].tone}`}>{STATUS[m.status].label}</span>
                  <span className="list-item-sub">{CHANNEL[m.channel]}</span>
                </span>
                <span className="list-item-title">{m.recipientLabel}</span>
                <span className="msg-body">{m.text}</span>
                <span className="list-item-sub">
                  {formatDateTime(m.sentAt ?? m.createdAt)}
                  {m.attempts > 1 ? ` · ${m.attempts} lần thử` : ''}
                </span>
                {m.lastError && <span className="field-error">{m.lastError}</span>}
              </li>
            ))}
          </ul>
        )}
        <Button variant="tertiary" fullWidth onClick={page.reload}>
          Tải lại
        </Button>
      </>
    );
  }
  return (
    <Screen title="Tin nhắn đã gửi" onBack={onBack}>
      {body}
    </Screen>
  );
}
