import { useState } from 'react';
import { useApi } from '../hooks/use-api.tsx';
import { saveBlob } from '../services/format.ts';
import { InlineError } from './screen.tsx';
import { Button } from 'zmp-ui';

/** Fetches a file with the token (the link itself would not carry it) and saves it via a blob link. */
export function DownloadButton({
  label,
  path,
  query,
  fileName,
}: {
  label: string;
  path: string;
  query?: Record<string, string>;
  fileName: string;
}) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    setDone(false);
    try {
      saveBlob(await api.download(path, query), fileName);
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack-tight">
      <Button variant="secondary" fullWidth disabled={busy} onClick={() => void run()}>
        {busy ? 'Đang tải…' : label}
      </Button>
      {done && (
        <p className="small" role="status">
          Đã tải xong “{fileName}”.
        </p>
      )}
      <InlineError error={error} />
    </div>
  );
}
