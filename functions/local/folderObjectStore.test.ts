import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderObjectStore, type FinalizedObject } from './folderObjectStore';

describe('FolderObjectStore', () => {
  const store = new FolderObjectStore(
    'demo.appspot.com',
    mkdtempSync(join(tmpdir(), 'fupin-store-')),
    () => 'http://127.0.0.1:1',
  );
  const finalized: FinalizedObject[] = [];
  store.onFinalized((object) => finalized.push(object));

  it('stores, describes and deletes objects, reporting each finished write', async () => {
    await store.write('evidence/v/p/thumb.webp', Buffer.from('abc'), {
      contentType: 'image/webp',
      metadata: { status: 'ok' },
    });
    expect(await store.read('evidence/v/p/thumb.webp')).toEqual(Buffer.from('abc'));
    expect(await store.stat('evidence/v/p/thumb.webp')).toEqual({
      contentType: 'image/webp',
      size: 3,
      metadata: { status: 'ok' },
    });
    expect(finalized.at(-1)).toMatchObject({
      bucket: 'demo.appspot.com',
      name: 'evidence/v/p/thumb.webp',
      size: 3,
      contentType: 'image/webp',
    });
    await store.delete('evidence/v/p/thumb.webp');
    expect(await store.exists('evidence/v/p/thumb.webp')).toBe(false);
    expect(await store.stat('evidence/v/p/thumb.webp')).toBeUndefined();
  });

  it('reports a write finalized before the write resolves, and takes concurrent writes of one name', async () => {
    let reported = false;
    const stop = store.onFinalized(() => void (reported = true));
    const writing = store.write('uploads/same', Buffer.from('one'), { contentType: 'text/plain' });
    const again = store.write('uploads/same', Buffer.from('two'), { contentType: 'text/plain' });
    await writing;
    // The dispatcher journals the event in its listener: the write is reported done after that.
    expect(reported).toBe(true);
    await again;
    stop();
    expect(['one', 'two']).toContain(String(await store.read('uploads/same')));
  });

  it('keeps object names inside the bucket', async () => {
    await expect(
      store.write('../outside', Buffer.from('x'), { contentType: 'text/plain' }),
    ).rejects.toThrow('leave the bucket');
    await expect(store.read('/etc/passwd')).rejects.toThrow('leave the bucket');
  });

  it('signs read URLs that stop working when tampered with or expired', async () => {
    const url = new URL(await store.signedReadUrl('a/b.webp', 60_000));
    const expires = url.searchParams.get('expires') ?? undefined;
    const signature = url.searchParams.get('signature') ?? undefined;
    expect(url.pathname).toBe('/storage/demo.appspot.com/a/b.webp');
    expect(store.verifySignedRead('a/b.webp', expires, signature)).toBe(true);
    expect(store.verifySignedRead('a/c.webp', expires, signature)).toBe(false);
    expect(store.verifySignedRead('a/b.webp', String(Number(expires) + 1), signature)).toBe(false);
    const expired = new URL(await store.signedReadUrl('a/b.webp', -1));
    expect(
      store.verifySignedRead(
        'a/b.webp',
        expired.searchParams.get('expires') ?? undefined,
        expired.searchParams.get('signature') ?? undefined,
      ),
    ).toBe(false);
  });
});
