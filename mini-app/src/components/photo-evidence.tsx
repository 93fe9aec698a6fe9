import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../hooks/use-api.tsx';
import { errorMessage } from './screen.tsx';
import { PhotoSlot, useAuthImage, type PhotoSlotState } from './photo-slot.tsx';
import type { EvidenceDto } from '../services/types.ts';
import { resizeToJpeg } from '../services/image.ts';
import { pickPhotos, type PickedPhoto } from '../services/zalo.ts';
import { uuid } from '../services/drafts.ts';

interface LocalPhoto {
  localId: string;
  /** Same key on every retry, so the server can de-duplicate. */
  uploadKey: string;
  original: Blob;
  prepared?: Blob;
  previewUrl?: string;
  state: PhotoSlotState;
  evidenceId?: string;
}

export interface PhotoEvidenceProps {
  assessmentId: string;
  indicatorCode: string;
  required: number;
  hint?: string | undefined;
  /** Evidence the server already has for this indicator. */
  existing: EvidenceDto[];
  onUploaded: (evidence: EvidenceDto) => void;
  disabled?: boolean;
  /** Injected in tests (jsdom has no canvas / file picker). */
  pick?: (count: number) => Promise<PickedPhoto[]>;
  prepare?: (blob: Blob) => Promise<Blob>;
}

function ServerPhoto({ evidence, localPreview }: { evidence: EvidenceDto; localPreview?: string | undefined }) {
  const src = useAuthImage(localPreview ? undefined : (`/api/v1/evidence/${encodeURIComponent(evidence.id)}/thumbnail`));
  return <PhotoSlot state={{ kind: 'done', previewUrl: localPreview ?? src }} />;
}

export function PhotoEvidence({
  assessmentId,
  indicatorCode,
  required,
  hint,
  existing,
  onUploaded,
  disabled = false,
  pick = (n) => pickPhotos(n),
  prepare = (b) => resizeToJpeg(b),
}: PhotoEvidenceProps) {
  const api = useApi();
  const [local, setLocal] = useState<LocalPhoto[]>([]);
  const localRef = useRef(local);
  localRef.current = local;

  useEffect(
    () => () => {
      for (const p of localRef.current) if (p.previewUrl) URL.revokeObjectURL(p.previewUrl);
    },
    [],
  );

  const update = useCallback((localId: string, patch: Partial<LocalPhoto>) => {
    setLocal((all) => all.map((p) => (p.localId === localId ? { ...p, ...patch } : p)));
  }, []);

  const upload = useCallback(
    async (photo: LocalPhoto) => {
      try {
        let prepared = photo.prepared;
        if (!prepared) {
          update(photo.localId, { state: { kind: 'preparing', previewUrl: photo.previewUrl } });
          try {
            prepared = await prepare(photo.original);
          } catch {
            prepared = photo.original; // the server re-encodes; sending the original is better than nothing
          }
          update(photo.localId, { prepared });
        }
        update(photo.localId, { state: { kind: 'uploading', progress: 0, previewUrl: photo.previewUrl } });
        const evidence = await api.uploadEvidence(assessmentId, indicatorCode, prepared, photo.uploadKey, (f) =>
          update(photo.localId, { state: { kind: 'uploading', progress: f, previewUrl: photo.previewUrl } }),
        );
        update(photo.localId, { state: { kind: 'done', previewUrl: photo.previewUrl }, evidenceId: evidence.id });
        onUploaded(evidence);
      } catch (err) {
        update(photo.localId, { state: { kind: 'failed', message: `Chưa gửi được ảnh. ${errorMessage(err)}`, previewUrl: photo.previewUrl } });
      }
    },
    [api, assessmentId, indicatorCode, onUploaded, prepare, update],
  );

  const onPick = useCallback(async () => {
    let picked: PickedPhoto[];
    try {
      picked = await pick(Math.max(1, required));
    } catch {
      return;
    }
    const added: LocalPhoto[] = picked.map((p) => ({
      localId: uuid(),
      uploadKey: uuid(),
      original: p.blob,
      previewUrl: typeof URL.createObjectURL === 'function' ? URL.createObjectURL(p.blob) : undefined,
      state: { kind: 'preparing' },
    }));
    setLocal((all) => [...all, ...added]);
    await Promise.all(added.map((p) => upload(p)));
  }, [pick, required, upload]);

  const remove = (localId: string) => setLocal((all) => all.filter((p) => p.localId !== localId));

  // Uploaded photos come back through `existing` (the parent adds them); keep their local preview.
  const pendingLocal = local.filter((p) => p.state.kind !== 'done');
  const previews = new Map(local.filter((p) => p.evidenceId).map((p) => [p.evidenceId!, p.previewUrl]));
  const count = existing.length;
  const missing = Math.max(0, required - count);

  return (
    <section className="evidence" aria-label={`Ảnh minh chứng chỉ số ${indicatorCode}`}>
      <h3 className="evidence-title">
        Ảnh minh chứng {required > 0 ? `(cần ${required} ảnh, đã có ${count})` : '(không bắt buộc)'}
      </h3>
      {hint && <p className="evidence-hint">{hint}</p>}
      <div className="photos">
        {existing.map((e) => (
          <ServerPhoto key={e.id} evidence={e} localPreview={previews.get(e.id)} />
        ))}
        {pendingLocal.map((p) => (
          <PhotoSlot key={p.localId} state={p.state} onRetry={() => void upload(p)} onRemove={() => remove(p.localId)} />
        ))}
        {!disabled && <PhotoSlot state={{ kind: 'empty' }} onPick={() => void onPick()} label={missing > 0 ? 'Chụp hoặc chọn ảnh' : 'Thêm ảnh'} />}
      </div>
    </section>
  );
}
