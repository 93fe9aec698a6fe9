import type { CertificateVerificationDto } from '@hoctap/shared/api';
import { vnDate } from '../exports/files.ts';

/**
 * The public verification page (/v/<code>): small server-rendered Vietnamese HTML that works in
 * any phone browser, without Zalo and without JavaScript. No inline script or style, so it is
 * served under a strict Content-Security-Policy (docs/security.md §6).
 */

export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** What the name on the certificate is, per title. */
const NAME_LABEL: Record<CertificateVerificationDto['subjectType'], string> = {
  household: 'Hộ gia đình (chủ hộ)',
  clan: 'Dòng họ',
  community: 'Cộng đồng (ấp, khóm)',
  unit: 'Đơn vị',
  citizen: 'Họ và tên',
};

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/v/verify.css">
</head>
<body>
<main>
<h1>Tra cứu giấy chứng nhận danh hiệu học tập</h1>
${body}
<form method="get" action="/v">
<label for="ma">Nhập mã in dưới mã QR trên giấy chứng nhận</label>
<input id="ma" name="ma" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="64" required>
<button type="submit">Tra cứu</button>
</form>
<p class="note">Trang tra cứu công khai của hệ thống Học tập suốt đời. Trang chỉ hiển thị những gì đã in trên giấy chứng nhận.</p>
</main>
</body>
</html>
`;
}

export function certificatePage(c: CertificateVerificationDto): string {
  const banner =
    c.status === 'genuine'
      ? `<p class="status ok" role="status"><strong>Giấy chứng nhận hợp lệ</strong>Được cấp theo quyết định công nhận còn hiệu lực.</p>`
      : `<p class="status revoked" role="status"><strong>Đã thu hồi</strong>Quyết định công nhận đã bị thu hồi; giấy chứng nhận này không còn giá trị.</p>`;
  const rows: [string, string][] = [
    ['Danh hiệu', `${c.title} năm ${c.year}`],
    [NAME_LABEL[c.subjectType], c.subjectName],
    ['Xã, phường', c.communeName],
    ['Quyết định', `Số ${c.decisionNumber} ngày ${vnDate(c.decidedOn)}`],
  ];
  const dl = rows.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('\n');
  return layout(
    c.status === 'genuine' ? 'Giấy chứng nhận hợp lệ' : 'Giấy chứng nhận đã thu hồi',
    `${banner}\n<dl>\n${dl}\n</dl>`,
  );
}

export function unknownPage(): string {
  return layout(
    'Không tìm thấy giấy chứng nhận',
    `<p class="status unknown" role="status"><strong>Không tìm thấy</strong>Không có giấy chứng nhận nào với mã này. Hãy kiểm tra lại mã in trên giấy (chữ số 0 và chữ O, số 1 và chữ I được coi là như nhau).</p>`,
  );
}

export function formPage(): string {
  return layout('Tra cứu giấy chứng nhận', '');
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<p class="status unknown" role="alert"><strong>${esc(title)}</strong>${esc(message)}</p>`);
}

export const PAGE_CSS = `*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1a1a1a;background:#f5f6f8}
main{max-width:36rem;margin:0 auto;padding:1rem}
h1{font-size:1.25rem;line-height:1.3;margin:.5rem 0 1rem;color:#0b3d91}
.status{border-radius:.5rem;padding:.875rem 1rem;margin:0 0 1rem;border:2px solid}
.status strong{display:block;font-size:1.25rem;margin-bottom:.25rem}
.ok{background:#e8f5e9;border-color:#1b5e20;color:#1b5e20}
.revoked{background:#fdecea;border-color:#b71c1c;color:#b71c1c}
.unknown{background:#fff8e1;border-color:#8d6e00;color:#5d4300}
dl{background:#fff;border-radius:.5rem;padding:.5rem 1rem;margin:0 0 1.25rem;border:1px solid #d5d9e0}
dl div{padding:.5rem 0;border-bottom:1px solid #eceef2}
dl div:last-child{border-bottom:0}
dt{font-size:.875rem;color:#4a5568}
dd{margin:0;font-weight:600;overflow-wrap:anywhere}
form{display:grid;gap:.5rem;background:#fff;border:1px solid #d5d9e0;border-radius:.5rem;padding:1rem}
label{font-weight:600}
input{font:inherit;padding:.75rem;border:1px solid #8a94a6;border-radius:.375rem;text-transform:uppercase;letter-spacing:.05em}
button{font:inherit;font-weight:600;min-height:3rem;border:0;border-radius:.375rem;background:#0b3d91;color:#fff}
.note{font-size:.875rem;color:#4a5568}
`;
