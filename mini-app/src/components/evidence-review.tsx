import { useState } from 'react';
import { Button, ImageViewer } from 'zmp-ui';
import { useAuthImage } from './photo-slot.tsx';
import { formatDateTime } from '../services/format.ts';
import type { EvidenceDto } from '../services/types.ts';

const img = (id: string, v: 'thumbnail' | 'image') => `/api/v1/evidence/${encodeURIComponent(id)}/${v}`;

function Thumb({ e, index, onOpen }: { e: EvidenceDto; index: number; onOpen: () => void }) {
  const src = useAuthImage(img(e.id, 'thumbnail'));
  return (
    // Named by what it shows (the image's alt, or the loading text): a fixed aria-label would hide the
    // visible "Đang tải ảnh…" from a voice user saying what they see.
    <button type="button" className="ev-thumb" onClick={onOpen}>
      {src ? (
        <img src={src} alt={`Xem ảnh ${index + 1} cỡ lớn`} className="photo-img" />
      ) : (
        <span className="photo-placeholder">Đang tải ảnh {index + 1}…</span>
      )}
    </button>
  );
}

/** What the photo's own data says: when and roughly where it was taken, and look-alikes. */
export function evidenceHints(e: EvidenceDto, all: EvidenceDto[]): { text: string; warn: boolean }[] {
  const out: { text: string; warn: boolean }[] = [];
  out.push(
    e.capturedAt
      ? { text: `Chụp lúc ${formatDateTime(e.capturedAt)}`, warn: false }
      : { text: 'Ảnh không ghi thời gian chụp', warn: true },
  );
  // The coordinates are removed on the server; only whether the photo had any is known.
  if (e.hasLocation) out.push({ text: 'Ảnh có ghi vị trí chụp (đã xóa khỏi ảnh)', warn: false });
  if (e.nearDuplicates.some((d) => d.exact)) out.push({ text: 'Trùng hệt một ảnh đã gửi trước đó', warn: true });
  if (e.nearDuplicates.length > 0) {
    const same = e.nearDuplicates.filter((d) => all.some((x) => x.id === d.evidenceId)).length;
    out.push({
      text: same > 0 ? 'Gần giống một ảnh khác trong hồ sơ này' : 'Gần giống ảnh của hồ sơ khác',
      warn: true,
    });
  }
  return out;
}

/** The verifier's view of photos: thumbnails fetched with the token, full size on tap, hints. */
export function EvidenceReview({ items, all }: { items: EvidenceDto[]; all: EvidenceDto[] }) {
  const [open, setOpen] = useState<EvidenceDto>();
  if (items.length === 0) return <p className="small">Không có ảnh minh chứng.</p>;
  return (
    <div className="ev-list">
      {items.map((e, i) => (
        <figure key={e.id} className="ev-item">
          <Thumb e={e} index={i} onOpen={() => setOpen(e)} />
          <figcaption className="ev-hints">
            {e.reusedFromYear !== undefined && (
              // Carried over from an earlier campaign: the household confirmed it still holds.
              <span className="ev-badge" title="Ảnh dùng lại từ năm trước, chủ hộ xác nhận vẫn đúng năm nay">
                Ảnh năm {e.reusedFromYear}
              </span>
            )}
            {evidenceHints(e, all).map((h) => (
              <span key={h.text} className={h.warn ? 'ev-hint ev-hint-warn' : 'ev-hint'}>
                {h.warn ? '⚠ ' : ''}
                {h.text}
              </span>
            ))}
          </figcaption>
        </figure>
      ))}
      {open && <FullImage e={open} onClose={() => setOpen(undefined)} />}
    </div>
  );
}

/** Full size in zmp-ui's ImageViewer (pinch to zoom, swipe down to close) once fetched with the token. */
function FullImage({ e, onClose }: { e: EvidenceDto; onClose: () => void }) {
  const src = useAuthImage(img(e.id, 'image'));
  if (src) return <ImageViewer images={[{ src, alt: 'Ảnh minh chứng cỡ lớn' }]} visible onClose={onClose} />;
  return (
    <div className="viewer" role="dialog" aria-modal="true" aria-label="Ảnh minh chứng cỡ lớn">
      <Button variant="secondary" className="viewer-close" onClick={onClose}>
        Đóng ảnh
      </Button>
      <p className="viewer-loading">Đang tải ảnh cỡ lớn…</p>
    </div>
  );
}
