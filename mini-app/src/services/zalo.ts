// Every zmp-sdk call of the app goes through this module, so tests mock one file and the demo
// works in a desktop browser. Inside Zalo the SDK is used; elsewhere (localhost, a LAN address,
// the server's own origin) browser equivalents are used: a file input for photos,
// navigator.share / the clipboard for sharing. zmp-sdk only mocks itself on "localhost" and
// rejects on any other host, so we never rely on its mocks.

/**
 * The SDK is loaded only inside Zalo, on first use: it carries its own copy of zod (v3) and ~40 KB
 * gzip in all, which a household in a browser (the demo, the tests) never needs and which would
 * otherwise delay the first screen on 3G. Inside Zalo the login asks for it at once.
 */
const sdk = () => import('./zalo-sdk.ts');

/** True when running inside the Zalo app (or Zalo's testing host). */
export function isInZalo(): boolean {
  if (typeof window === 'undefined') return false;
  const host = window.location.hostname;
  const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
  return host.includes('h5.zdn.vn') || /\bZalo\b/i.test(ua);
}

/** SDK errors are plain objects `{ code, message }` (not AppError instances). */
export interface ZaloError {
  code: number;
  message?: string;
}
export function isZaloError(x: unknown): x is ZaloError {
  return typeof x === 'object' && x !== null && typeof (x as ZaloError).code === 'number';
}
/** -201 / -2002 refused, -2003 cancelled. */
export function isUserRefusal(x: unknown): boolean {
  return isZaloError(x) && (x.code === -201 || x.code === -2002 || x.code === -2003 || x.code === -1401);
}

/** Zalo access token for POST /api/v1/auth/zalo; null outside Zalo. */
export async function getAccessToken(): Promise<string | null> {
  if (!isInZalo()) return null;
  const token = await (await sdk()).getAccessToken();
  return token || null;
}

/** Phone token (single use, 2 minutes) for POST /api/v1/me/phone; null outside Zalo or if refused. */
export async function getPhoneNumberToken(): Promise<string | null> {
  if (!isInZalo()) return null;
  try {
    const res = await (await sdk()).getPhoneNumber();
    return res.token ?? null;
  } catch (err) {
    if (isUserRefusal(err)) return null;
    throw err;
  }
}

let userInfoCache: Promise<{ id: string; name: string; avatar: string } | null> | null = null;
/** Name and avatar (asks consent). Called once per session: the SDK allows 3 calls a second. */
export function getUserInfo(): Promise<{ id: string; name: string; avatar: string } | null> {
  if (!isInZalo()) return Promise.resolve(null);
  userInfoCache ??= sdk()
    .then((s) => s.getUserInfo({ autoRequestPermission: true }))
    .then((r) => r.userInfo)
    .catch(() => null);
  return userInfoCache;
}

export interface PickedPhoto {
  blob: Blob;
  name: string;
}

/** Browser fallback: a hidden <input type=file>. Resolves [] when the user cancels. */
function pickWithFileInput(count: number, camera: boolean): Promise<PickedPhoto[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    if (count > 1) input.multiple = true;
    if (camera) input.setAttribute('capture', 'environment');
    input.style.position = 'fixed';
    input.style.left = '-1000px';
    input.setAttribute('data-testid', 'photo-file-input');
    let done = false;
    const finish = (files: PickedPhoto[]) => {
      if (done) return;
      done = true;
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? []).slice(0, count);
      finish(files.map((f) => ({ blob: f, name: f.name })));
    });
    input.addEventListener('cancel', () => finish([]));
    document.body.appendChild(input);
    input.click();
  });
}

/**
 * Take or choose photos. In Zalo: chooseImage (back camera for evidence). It never settles when the
 * user cancels, so callers must not block the UI on it (the photo slot stays usable).
 */
export async function pickPhotos(count = 1, opts: { camera?: boolean } = {}): Promise<PickedPhoto[]> {
  if (!isInZalo()) return pickWithFileInput(count, opts.camera ?? false);
  const res = await (
    await sdk()
  ).chooseImage({
    count,
    sourceType: opts.camera ? ['camera'] : ['album', 'camera'],
    cameraType: 'back',
  });
  return Promise.all(
    res.filePaths.map(async (path, i) => ({ blob: await (await fetch(path)).blob(), name: `anh-${i + 1}.jpg` })),
  );
}

export type ShareResult = 'shared' | 'copied' | 'cancelled' | 'unsupported';

/** Share a text (summary + link) into the user's own chats and groups. */
export async function shareText(text: string, link?: string): Promise<ShareResult> {
  const full = link ? `${text}\n${link}` : text;
  if (isInZalo()) {
    try {
      const r = await (await sdk()).openShareSheet({ type: 'text', data: { text: full, autoParseLink: true } });
      return r.status === 0 ? 'cancelled' : 'shared';
    } catch (err) {
      if (isUserRefusal(err)) return 'cancelled';
      throw err;
    }
  }
  const nav = navigator as Navigator & { share?: (d: ShareData) => Promise<void> };
  if (typeof nav.share === 'function') {
    try {
      await nav.share(link ? { text, url: link } : { text });
      return 'shared';
    } catch (err) {
      if ((err as { name?: string }).name === 'AbortError') return 'cancelled';
    }
  }
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(full);
    return 'copied';
  }
  return 'unsupported';
}

/** A native toast in Zalo; returns false outside so the caller shows its own snackbar. */
export async function nativeToast(message: string): Promise<boolean> {
  if (!isInZalo()) return false;
  try {
    await (await sdk()).showToast({ message });
    return true;
  } catch {
    return false;
  }
}
