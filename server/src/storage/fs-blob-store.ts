/**
 * Filesystem BlobStore (the default: `DATA_DIR/blobs`).
 *
 * Atomic, durable writes: bytes go to `<root>/.tmp/<uuid>.tmp` (same filesystem, so rename is
 * atomic), are fsynced, renamed into place, and the directory is fsynced — a rename is atomic but
 * not durable until the directory entry itself reaches the disk (docs/architecture.md §7.5). A reader
 * therefore sees either no file or the complete file, never a partial one, even across a crash.
 *
 * Files are served through an authorised route, never a static directory, and are created 0600.
 */
import { randomUUID } from 'node:crypto';
import { constants, type Dirent } from 'node:fs';
import { copyFile, mkdir, open, opendir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { assertValidBlobKey, BlobNotFoundError, type BlobInfo, type BlobStore, type PutResult } from './blob-store.ts';

/** Holds in-progress writes; never listed, never a valid key (keys cannot start with '.'). */
const TEMP_DIR = '.tmp';

export class FsBlobStore implements BlobStore {
  readonly root: string;
  /**
   * Same filesystem as the blobs. Upload temp files (streamToTempFile's `dir`) may live here too,
   * so that one `cleanTemp()` also removes uploads orphaned by a crash.
   */
  readonly tempDir: string;

  private tempDirPromise: Promise<unknown> | null = null;

  /** Created once per process (not a mkdir on every put); a failure is retried next time. */
  private tempDirMade(): Promise<unknown> {
    this.tempDirPromise ??= mkdir(this.tempDir, { recursive: true }).catch((err: unknown) => {
      this.tempDirPromise = null;
      throw err;
    });
    return this.tempDirPromise;
  }

  constructor(root: string) {
    this.root = resolve(root);
    this.tempDir = join(this.root, TEMP_DIR);
  }

  async put(key: string, source: string | Buffer): Promise<PutResult> {
    const target = this.pathOf(key);

    const existing = await statOrNull(target);
    if (existing) {
      // Content-addressed: same key ⇒ same bytes, so nothing to write. But DO refresh the age:
      // an old orphan being re-uploaded right now is about to get a DB row, and the sweeper must
      // not treat it as "unreferenced for longer than the grace period" in the meantime.
      const now = new Date();
      await utimes(target, now, now);
      return { created: false, size: existing.size };
    }

    await this.tempDirMade();
    const firstCreatedDir = await mkdir(dirname(target), { recursive: true });
    const tmp = join(this.tempDir, `${randomUUID()}.tmp`);
    try {
      const size = typeof source === 'string' ? await copyDurably(source, tmp) : await writeDurably(source, tmp);
      await rename(tmp, target);
      // Make the rename (and any directories we just created) durable.
      await this.syncNewEntry(target, firstCreatedDir);
      return { created: true, size };
    } catch (err) {
      await rm(tmp, { force: true });
      if (isNotFound(err)) this.tempDirPromise = null; // removed under us: made again next time
      throw err;
    }
  }

  async adopt(key: string, path: string): Promise<PutResult> {
    const target = this.pathOf(key);
    const existing = await statOrNull(target);
    if (existing) {
      await this.put(key, path); // refreshes the age, writes nothing
      await rm(path, { force: true });
      return { created: false, size: existing.size };
    }
    const firstCreatedDir = await mkdir(dirname(target), { recursive: true });
    try {
      await rename(path, target);
    } catch (err) {
      // Another filesystem: copy durably like put(), then drop the file.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      const r = await this.put(key, path);
      await rm(path, { force: true });
      return r;
    }
    await this.syncNewEntry(target, firstCreatedDir);
    return { created: true, size: (await stat(target)).size };
  }

  /** Makes a rename into `target` (and any directories just created for it) durable. */
  private async syncNewEntry(target: string, firstCreatedDir: string | undefined): Promise<void> {
    await fsyncDir(dirname(target));
    if (firstCreatedDir !== undefined) {
      for (let d = dirname(target); d !== this.root && d.startsWith(this.root); d = dirname(d)) {
        await fsyncDir(dirname(d));
        if (d === firstCreatedDir) break;
      }
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      // Open first so a missing blob is a typed error here, not a stream 'error' event later.
      const fh = await open(path, 'r');
      return fh.createReadStream();
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw err;
    }
  }

  async stat(key: string): Promise<BlobInfo | null> {
    const s = await statOrNull(this.pathOf(key));
    return s ? { key, size: s.size, lastModified: s.mtime } : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(key));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async *list(prefix = ''): AsyncIterable<BlobInfo> {
    // Start at the deepest directory the prefix names, to avoid walking the whole tree.
    const slash = prefix.lastIndexOf('/');
    const startRel = slash >= 0 ? prefix.slice(0, slash) : '';
    if (startRel !== '') assertValidBlobKey(startRel);
    const start = startRel === '' ? this.root : join(this.root, ...startRel.split('/'));
    for await (const path of walk(start, this.tempDir)) {
      const key = relative(this.root, path).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      const s = await statOrNull(path);
      if (s) yield { key, size: s.size, lastModified: s.mtime };
    }
  }

  /**
   * Removes temp files left by writes that crashed midway (older than `olderThanMs`, so a write
   * in progress is never touched). Returns how many were removed.
   */
  async cleanTemp(options: { olderThanMs: number; now?: Date }): Promise<number> {
    const cutoff = (options.now ?? new Date()).getTime() - options.olderThanMs;
    let removed = 0;
    let dir;
    try {
      dir = await opendir(this.tempDir);
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw err;
    }
    for await (const entry of dir) {
      const path = join(this.tempDir, entry.name);
      const s = await statOrNull(path);
      if (s && s.isFile() && s.mtime.getTime() < cutoff) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Keys are validated before they become paths (no '..', no absolute paths, no hidden names). */
  private pathOf(key: string): string {
    assertValidBlobKey(key);
    return join(this.root, ...key.split('/'));
  }
}

export function createFsBlobStore(root: string): FsBlobStore {
  return new FsBlobStore(root);
}

async function writeDurably(data: Buffer, path: string): Promise<number> {
  const fh = await open(path, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return data.length;
}

async function copyDurably(source: string, path: string): Promise<number> {
  // COPYFILE_EXCL: never clobber; the copy may be a reflink, fsync makes it durable either way.
  await copyFile(source, path, constants.COPYFILE_EXCL);
  const fh = await open(path, 'r+');
  try {
    await fh.chmod(0o600);
    await fh.sync();
    return (await fh.stat()).size;
  } finally {
    await fh.close();
  }
}

async function fsyncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function* walk(dir: string, skip: string): AsyncGenerator<string> {
  let handle;
  try {
    handle = await opendir(dir);
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const entries: Dirent[] = [];
  for await (const entry of handle) entries.push(entry);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (path === skip) continue;
    if (entry.isDirectory()) yield* walk(path, skip);
    else if (entry.isFile()) yield path;
  }
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}
