/**
 * The local platform's Storage backend: objects in a folder, behind the same ObjectStore interface
 * the functions use with Cloud Storage in production. Every completed write is reported as a
 * "finalized" object, which the trigger dispatcher delivers to onObjectFinalized functions.
 * Signed read URLs point at the local functions host, which checks the HMAC and the expiry.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { ObjectStore, StoredObjectMetadata } from '../src/services/objectStore';

export interface FinalizedObject {
  bucket: string;
  name: string;
  contentType: string;
  size: number;
  generation: string;
  metadata: Record<string, string>;
  timeCreated: string;
}

interface Sidecar {
  contentType: string;
  metadata: Record<string, string>;
  cacheControl?: string;
  generation: string;
  timeCreated: string;
}

export class FolderObjectStore implements ObjectStore {
  private readonly listeners = new Set<(object: FinalizedObject) => void>();
  private readonly signingKey = randomBytes(32);

  constructor(
    readonly bucket: string,
    private readonly root: string,
    /** Origin of the host serving signed URLs, e.g. http://127.0.0.1:5001 */
    private readonly publicOrigin: () => string,
  ) {}

  onFinalized(listener: (object: FinalizedObject) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private pathsOf(name: string): { data: string; sidecar: string } {
    const clean = normalize(name);
    if (clean.startsWith('..') || clean.startsWith('/') || clean.includes('\0')) {
      throw new Error('object names may not leave the bucket');
    }
    return {
      data: join(this.root, 'objects', clean),
      sidecar: join(this.root, 'meta', `${clean}.json`),
    };
  }

  async read(name: string): Promise<Buffer> {
    return readFile(this.pathsOf(name).data);
  }

  async write(
    name: string,
    data: Buffer,
    options: { contentType: string; metadata?: Record<string, string>; cacheControl?: string },
  ): Promise<void> {
    const paths = this.pathsOf(name);
    const sidecar: Sidecar = {
      contentType: options.contentType,
      metadata: options.metadata ?? {},
      cacheControl: options.cacheControl,
      generation: String(Date.now() * 1000 + Math.floor(Math.random() * 1000)),
      timeCreated: new Date().toISOString(),
    };
    await mkdir(dirname(paths.data), { recursive: true });
    await mkdir(dirname(paths.sidecar), { recursive: true });
    // Like Cloud Storage, an object appears whole or not at all, even if the process is killed
    // mid-write: both files are written aside (one name per write, for concurrent writers), then
    // renamed. The finalized event is journaled by the listener before this write resolves.
    const aside = `.${randomBytes(6).toString('hex')}.partial`;
    await writeFile(`${paths.data}${aside}`, data);
    await writeFile(`${paths.sidecar}${aside}`, JSON.stringify(sidecar));
    await rename(`${paths.sidecar}${aside}`, paths.sidecar);
    await rename(`${paths.data}${aside}`, paths.data);
    const finalized: FinalizedObject = {
      bucket: this.bucket,
      name,
      contentType: sidecar.contentType,
      size: data.length,
      generation: sidecar.generation,
      metadata: sidecar.metadata,
      timeCreated: sidecar.timeCreated,
    };
    for (const listener of this.listeners) listener(finalized);
  }

  async stat(name: string): Promise<StoredObjectMetadata | undefined> {
    const paths = this.pathsOf(name);
    try {
      const [info, sidecar] = await Promise.all([
        stat(paths.data),
        readFile(paths.sidecar, 'utf8'),
      ]);
      const parsed = JSON.parse(sidecar) as Sidecar;
      return { contentType: parsed.contentType, size: info.size, metadata: parsed.metadata };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(name: string): Promise<void> {
    const paths = this.pathsOf(name);
    await rm(paths.data, { force: true });
    await rm(paths.sidecar, { force: true });
  }

  async exists(name: string): Promise<boolean> {
    return (await this.stat(name)) !== undefined;
  }

  private signature(name: string, expires: number): string {
    return createHmac('sha256', this.signingKey)
      .update(`${this.bucket}\n${name}\n${expires}`)
      .digest('base64url');
  }

  async signedReadUrl(name: string, ttlMs: number): Promise<string> {
    this.pathsOf(name);
    const expires = Date.now() + ttlMs;
    const query = new URLSearchParams({
      expires: String(expires),
      signature: this.signature(name, expires),
    });
    return `${this.publicOrigin()}/storage/${encodeURIComponent(this.bucket)}/${name
      .split('/')
      .map(encodeURIComponent)
      .join('/')}?${query}`;
  }

  /** Checks a signed URL's parameters; true only for an unexpired, untampered signature. */
  verifySignedRead(
    name: string,
    expires: string | undefined,
    signature: string | undefined,
  ): boolean {
    const at = Number(expires);
    if (!signature || !Number.isSafeInteger(at) || at < Date.now()) return false;
    const expected = Buffer.from(this.signature(name, at));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
