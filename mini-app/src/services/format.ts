// Dates and numbers the way a Vietnamese commune reads them (Vietnam time, dd/mm/yyyy).
const TZ = 'Asia/Ho_Chi_Minh';

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: TZ });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = d.toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', timeZone: TZ });
  return `${time} ${formatDate(iso)}`;
}

/** 0..1 → "85 %"; null → "—". */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return `${Math.round(share * 1000) / 10} %`.replace('.', ',');
}

/** yyyy-mm-dd of a Date in Vietnam time (for <input type=date>). */
export function isoDay(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3600_000);
  return v.toISOString().slice(0, 10);
}

/** <input type=date> value → end of that day in Vietnam time, as an ISO string with offset. */
export function endOfDayVn(day: string): string {
  return `${day}T23:59:00+07:00`;
}

/** Save a blob under a file name through a temporary link (works in browsers and Zalo's webview). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
