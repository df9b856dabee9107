/**
 * The small storage service every function uses. In production it is Cloud Storage (the default
 * bucket, through firebase-admin); the local platform installs a folder-backed store through
 * `installObjectStore` before it loads the functions. Handlers never know which one they have.
 */
import { getStorage } from 'firebase-admin/storage';

export interface StoredObjectMetadata {
  contentType: string;
  size: number;
  /** Only server-set keys; never personal data (an ID or bank number, a name, a location). */
  metadata: Record<string, string>;
}

export interface ObjectStore {
  readonly bucket: string;
  read(path: string): Promise<Buffer>;
  /** Writes an object; `metadata` must hold no personal data. */
  write(
    path: string,
    data: Buffer,
    options: { contentType: string; metadata?: Record<string, string>; cacheControl?: string },
  ): Promise<void>;
  stat(path: string): Promise<StoredObjectMetadata | undefined>;
  delete(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** A URL that reads the object for `ttlMs`, then stops working. */
  signedReadUrl(path: string, ttlMs: number): Promise<string>;
}

class CloudObjectStore implements ObjectStore {
  private readonly files = getStorage().bucket();
  readonly bucket = this.files.name;

  async read(path: string): Promise<Buffer> {
    const [data] = await this.files.file(path).download();
    return data;
  }

  async write(
    path: string,
    data: Buffer,
    options: { contentType: string; metadata?: Record<string, string>; cacheControl?: string },
  ): Promise<void> {
    // resumable: false — outputs are small, and a single request is cheaper and atomic.
    await this.files.file(path).save(data, {
      resumable: false,
      contentType: options.contentType,
      metadata: { cacheControl: options.cacheControl, metadata: options.metadata ?? {} },
    });
  }

  async stat(path: string): Promise<StoredObjectMetadata | undefined> {
    try {
      const [meta] = await this.files.file(path).getMetadata();
      return {
        contentType: meta.contentType ?? 'application/octet-stream',
        size: Number(meta.size ?? 0),
        metadata: Object.fromEntries(
          Object.entries(meta.metadata ?? {}).map(([key, value]) => [key, String(value)]),
        ),
      };
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  }

  async delete(path: string): Promise<void> {
    await this.files.file(path).delete({ ignoreNotFound: true });
  }

  async exists(path: string): Promise<boolean> {
    const [found] = await this.files.file(path).exists();
    return found;
  }

  async signedReadUrl(path: string, ttlMs: number): Promise<string> {
    const [url] = await this.files
      .file(path)
      .getSignedUrl({ action: 'read', expires: Date.now() + ttlMs, version: 'v4' });
    return url;
  }
}

let installed: ObjectStore | undefined;

export function objectStore(): ObjectStore {
  installed ??= new CloudObjectStore();
  return installed;
}

/** For the local platform's composition root only: replaces Cloud Storage with another store. */
export function installObjectStore(store: ObjectStore): void {
  installed = store;
}
