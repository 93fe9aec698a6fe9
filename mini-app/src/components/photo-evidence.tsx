import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../hooks/use-api.tsx';
import { errorMessage } from './screen.tsx';
import { useNotify } from './feedback.tsx';
import { ApiError } from '../services/api.ts';
import { useAppStore } from '../store.ts';
import { PhotoSlot, useAuthImage, type PhotoSlotState } from './photo-slot.tsx';
import type { EvidenceDto } from '../services/types.ts';
import { resizeToJpeg } from '../services/image.ts';
import { pickPhotos, type PickedPhoto } from '../services/zalo.ts';
import { uuid } from '../services/drafts.ts';
import { Button } from 'zmp-ui';

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
  const src = useAuthImage(localPreview ? undefined : `/api/v1/evidence/${encodeURIComponent(evidence.id)}/thumbnail`);
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
  const notify = useNotify();
  const online = useAppStore((s) => s.online);
  const [local, setLocal] = useState<LocalPhoto[]>([]);
  const localRef = useRef(local);
  localRef.current = local;
  const existingRef = useRef(existing);
  existingRef.current = existing;
  // The server refused for want of the photo consent: offer to give it here, then resend.
  const [needsConsent, setNeedsConsent] = useState<string | false>(false);

  useEffect(
    () => () => {
      for (const p of localRef.current) if (p.previewUrl) URL.revokeObjectURL(p.previewUrl);
    },
    [],
  );

  const update = useCallback((localId: string, patch: Partial<LocalPhoto>) => {
    setLocal((all) => all.map((p) => (p.localId === localId ? { ...p, ...patch } : p)));
  }, []);

  // A dropped link does not always turn the phone "offline" (weak signal, server busy): then the photo
  // is tried again after a pause that grows (10 s, 30 s, 60 s, then every 2 minutes) while on screen.
  const attempts = useRef(new Map<string, number>());
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  // The resend calls the latest upload through a ref: upload itself schedules resends.
  const uploadRef = useRef<(p: LocalPhoto) => Promise<void>>(undefined);
  const scheduleResend = useCallback((localId: string) => {
    if (!useAppStore.getState().online) return; // the effect above sends it when the network returns
    const n = (attempts.current.get(localId) ?? 0) + 1;
    attempts.current.set(localId, n);
    const timer = setTimeout(
      () => {
        timers.current.delete(timer);
        const p = localRef.current.find((x) => x.localId === localId);
        if (p?.state.kind === 'failed' && p.state.transient && useAppStore.getState().online)
          void uploadRef.current?.(p);
      },
      [10_000, 30_000, 60_000][n - 1] ?? 120_000,
    );
    timers.current.add(timer);
  }, []);

  const upload = useCallback(
    async (photo: LocalPhoto) => {
      try {
        let prepared = photo.prepared;
        if (!prepared) {
          update(photo.localId, {
            state: { kind: 'preparing', previewUrl: photo.previewUrl, bytes: photo.original.size },
          });
          try {
            prepared = await prepare(photo.original);
          } catch {
            prepared = photo.original; // the server re-encodes; sending the original is better than nothing
          }
          // The preview comes from the resized photo: showing the 12-megapixel original would make
          // the phone decode it a second time (~1,5 s at 4× CPU slowdown) while it is being resized.
          if (!photo.previewUrl && typeof URL.createObjectURL === 'function')
            photo = { ...photo, previewUrl: URL.createObjectURL(prepared) };
          update(photo.localId, { prepared, previewUrl: photo.previewUrl });
        }
        const bytes = prepared.size; // shown from the start, so a household sees what the photo costs
        update(photo.localId, { state: { kind: 'uploading', progress: 0, previewUrl: photo.previewUrl, bytes } });
        const evidence = await api.uploadEvidence(assessmentId, indicatorCode, prepared, photo.uploadKey, (f) =>
          update(photo.localId, { state: { kind: 'uploading', progress: f, previewUrl: photo.previewUrl, bytes } }),
        );
        // The server keeps one copy of the same picture: say so instead of silently merging.
        if (existingRef.current.some((e) => e.id === evidence.id)) {
          setLocal((all) => all.filter((p) => p.localId !== photo.localId));
          notify.info('Ảnh này trùng với ảnh đã gửi trước đó, không thêm lần nữa.');
          return;
        }
        update(photo.localId, { state: { kind: 'done', previewUrl: photo.previewUrl }, evidenceId: evidence.id });
        onUploaded(evidence);
        notify.success('Đã gửi ảnh minh chứng.');
      } catch (err) {
        const consent = err instanceof ApiError && err.body?.code === 'CONSENT_REQUIRED';
        if (consent) setNeedsConsent(errorMessage(err));
        // Wrong format, too large, refused: sending the same file again cannot succeed.
        const retryable = !(err instanceof ApiError) || err.transient || consent;
        const transient = err instanceof ApiError && err.transient;
        if (transient) scheduleResend(photo.localId);
        update(photo.localId, {
          state: {
            kind: 'failed',
            // The consent box above says the whole story; the tile stays short.
            message: consent
              ? 'Chưa gửi được: cần bạn đồng ý lưu ảnh (xem ô phía trên).'
              : transient && (err.kind === 'offline' || err.kind === 'network')
                ? 'Chưa gửi được ảnh: mất mạng. Ảnh sẽ tự gửi lại khi có mạng.'
                : transient
                  ? `Chưa gửi được ảnh. ${errorMessage(err)} Ảnh sẽ tự gửi lại.`
                  : retryable
                    ? `Chưa gửi được ảnh. ${errorMessage(err)}`
                    : errorMessage(err),
            previewUrl: photo.previewUrl,
            retryable,
            transient,
          },
        });
      }
    },
    [api, assessmentId, indicatorCode, onUploaded, prepare, update, notify, scheduleResend],
  );
  useEffect(() => {
    uploadRef.current = upload;
  }, [upload]);

  // Back online: photos that failed for want of a network go again by themselves.
  useEffect(() => {
    if (!online) return;
    for (const p of localRef.current) if (p.state.kind === 'failed' && p.state.transient) void upload(p);
  }, [online, upload]);

  const [consentBusy, setConsentBusy] = useState(false);
  const [consentError, setConsentError] = useState<unknown>();
  const giveConsent = async () => {
    setConsentBusy(true);
    setConsentError(undefined);
    try {
      const state = await api.consentState();
      await api.giveConsents(['photos'], state.version);
      const me = useAppStore.getState().me;
      if (me) useAppStore.getState().setMe({ ...me, consents: { ...me.consents, photos: true } });
      setNeedsConsent(false);
      notify.success('Đã đồng ý cho lưu ảnh minh chứng. Đang gửi lại ảnh…');
      for (const p of localRef.current) if (p.state.kind === 'failed') void upload(p);
    } catch (err) {
      setConsentError(err);
    } finally {
      setConsentBusy(false);
    }
  };

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
      {needsConsent && (
        <div className="consent-recover" role="alert">
          <p>
            <strong>{needsConsent}</strong> Bạn có thể đồng ý ngay tại đây (xem hoặc đổi lại trong mục Tài khoản).
          </p>
          {consentError !== undefined && <p className="photo-hint-error">{errorMessage(consentError)}</p>}
          <Button variant="primary" fullWidth disabled={consentBusy} onClick={() => void giveConsent()}>
            {consentBusy ? 'Đang gửi…' : 'Đồng ý lưu ảnh và gửi lại'}
          </Button>
        </div>
      )}
      <div className="photos">
        {existing.map((e) => (
          <ServerPhoto key={e.id} evidence={e} localPreview={previews.get(e.id)} />
        ))}
        {pendingLocal.map((p) => (
          <PhotoSlot
            key={p.localId}
            state={p.state}
            onRetry={() => void upload(p)}
            onRemove={() => remove(p.localId)}
          />
        ))}
        {!disabled && (
          <PhotoSlot
            state={{ kind: 'empty' }}
            onPick={() => void onPick()}
            label={missing > 0 ? 'Chụp hoặc chọn ảnh' : 'Thêm ảnh'}
          />
        )}
      </div>
    </section>
  );
}
