// The browser tests drive Debian's Chromium (never a downloaded browser), and the certificate tests
// render PDF pages with poppler's pdftoppm to decode their QR codes. A fresh machine has neither:
// install the Debian packages when we are allowed to (root with apt-get), otherwise say how.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDED = [
  { bin: '/usr/bin/chromium', pkg: 'chromium', why: 'kiểm thử trình duyệt' },
  { bin: '/usr/bin/pdftoppm', pkg: 'poppler-utils', why: 'kiểm thử mã QR trên giấy chứng nhận' },
];

for (const { bin, pkg, why } of NEEDED) {
  if (existsSync(bin)) continue;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`[bootstrap] cài ${pkg} của Debian cho ${why} (apt-get install ${pkg})…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      execSync(`apt-get install -y --no-install-recommends ${pkg}`, { stdio: 'inherit', env });
    } catch {
      // The package lists of a fresh machine may be empty or stale.
      execSync(`apt-get update && apt-get install -y --no-install-recommends ${pkg}`, { stdio: 'inherit', env });
    }
  } else {
    console.warn(`[bootstrap] ${bin} không có: cài bằng "sudo apt-get install -y ${pkg}" để chạy ${why}.`);
  }
}
