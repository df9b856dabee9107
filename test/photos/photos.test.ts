/**
 * Evidence photos end to end on the local platform: upload through the callable, the Storage
 * trigger's outputs and record, a second delivery, outputs not firing it again, quarantine, and
 * signed URLs only within scope.
 */
import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { htmlPage, withGpsAndOrientation } from '../../functions/bench/photos/fixtures';
import { adminDb, call, deliveredEvents, idle, redeliver, signIn } from '../support/platform';

const objectsDir = () => join(process.env.FUPIN_TEST_DATA_DIR as string, 'storage/objects');

async function villageOf(uid: string): Promise<string> {
  return (await adminDb().collection('staff').doc(uid).get()).get('regionCode') as string;
}

async function phonePhoto(): Promise<Buffer> {
  const jpeg = await sharp({
    create: { width: 1200, height: 800, channels: 3, background: '#2f6f3e' },
  })
    .jpeg()
    .toBuffer();
  return withGpsAndOrientation(jpeg, 6);
}

async function upload(
  token: string,
  bytes: Buffer,
  ids: { photoId?: string; draftId?: string } = {},
) {
  const photoId = ids.photoId ?? randomUUID();
  const { result, error } = await call<{ photoId: string; status: string; reason?: string }>(
    'uploadEvidencePhoto',
    {
      photoId,
      draftId: ids.draftId ?? randomUUID(),
      contentType: 'image/jpeg',
      dataBase64: bytes.toString('base64'),
    },
    token,
  );
  await idle();
  return { photoId, result, error };
}

const record = async (photoId: string) =>
  (await adminDb().collection('evidencePhotos').doc(photoId).get()).data();

const listing = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).sort();

describe('evidence photos', () => {
  let admin: string;
  let village: string;
  beforeAll(async () => {
    admin = await signIn('v01a@demo.fupin.cn');
    village = await villageOf('demo-v01a');
  });

  it('turns a phone photo into an upright display image and thumbnail without GPS', async () => {
    const { photoId, error } = await upload(admin, await phonePhoto());
    expect(error).toBeUndefined();
    expect(await record(photoId)).toMatchObject({
      status: 'processed',
      villageCode: village,
      uploaderUid: 'demo-v01a',
      width: 800,
      height: 1200,
      displayPath: `evidence/${photoId}/display.jpg`,
      thumbPath: `evidence/${photoId}/thumb.jpg`,
    });
    expect(await listing(join(objectsDir(), 'evidence', photoId))).toEqual([
      'display.jpg',
      'thumb.jpg',
    ]);
    expect(await listing(join(objectsDir(), 'incoming', village, 'demo-v01a'))).not.toContain(
      photoId,
    );

    const township = await signIn('township@demo.fupin.cn');
    const { result } = await call<{ photos: Array<{ displayUrl: string; thumbUrl: string }> }>(
      'getEvidencePhotoUrls',
      { photoIds: [photoId] },
      township,
    );
    const served = await fetch(result?.photos[0]?.displayUrl as string);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(await exifr.gps(bytes)).toBeUndefined();
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 800, height: 1200 });
  });

  it('survives a retried upload and a second delivery with one output set', async () => {
    const draftId = randomUUID();
    const first = await upload(admin, await phonePhoto(), { draftId });
    const displayFile = join(objectsDir(), 'evidence', first.photoId, 'display.jpg');
    const before = {
      record: await record(first.photoId),
      mtime: (await stat(displayFile)).mtimeMs,
    };

    const retry = await upload(admin, await phonePhoto(), { photoId: first.photoId, draftId });
    expect(retry.result).toEqual({ photoId: first.photoId, status: 'processed' });
    const incoming = `incoming/${village}/demo-v01a/${first.photoId}`;
    const events = await deliveredEvents({ fn: 'onEvidenceUploaded', document: incoming });
    expect(events).toHaveLength(1);

    await redeliver('onEvidenceUploaded', events[0]?.id as string);
    await idle();
    expect(await record(first.photoId)).toEqual(before.record);
    expect((await stat(displayFile)).mtimeMs).toBe(before.mtime);
    expect(await listing(join(objectsDir(), 'evidence', first.photoId))).toEqual([
      'display.jpg',
      'thumb.jpg',
    ]);
  });

  it('is delivered its own outputs and leaves them alone', async () => {
    const { photoId } = await upload(admin, await phonePhoto());
    const display = `evidence/${photoId}/display.jpg`;
    const events = await deliveredEvents({ fn: 'onEvidenceUploaded', document: display });
    expect(events.every((event) => event.outcome === 'ok')).toBe(true);
    expect(await record(photoId)).toMatchObject({ status: 'processed' });
    expect(await listing(join(objectsDir(), 'evidence'))).toContain(photoId);
    expect(await listing(join(objectsDir(), 'evidence', photoId))).toHaveLength(2);
  });

  it('quarantines HTML declared as JPEG, with a reason the uploader sees', async () => {
    const { photoId, result } = await upload(admin, htmlPage);
    expect(result?.status).toBe('uploaded');
    expect(await record(photoId)).toMatchObject({ status: 'quarantined', reason: 'html' });
    expect(await listing(join(objectsDir(), 'quarantine', village, 'demo-v01a'))).toContain(
      photoId,
    );
    const again = await upload(admin, htmlPage, {
      photoId,
      draftId: (await record(photoId))?.draftId,
    });
    expect(again.result).toEqual({ photoId, status: 'quarantined', reason: 'html' });
  });

  it("refuses another uploader's photo id, a tenth photo, and URLs out of scope", async () => {
    const draftId = randomUUID();
    const { photoId } = await upload(admin, await phonePhoto(), { draftId });
    const colleague = await signIn('v01b@demo.fupin.cn');
    expect((await upload(colleague, await phonePhoto(), { photoId, draftId })).error?.status).toBe(
      'PERMISSION_DENIED',
    );

    for (let i = 1; i < 9; i++) await upload(admin, htmlPage, { draftId });
    expect((await upload(admin, htmlPage, { draftId })).error?.status).toBe('RESOURCE_EXHAUSTED');

    const otherVillage = await signIn('v02a@demo.fupin.cn');
    for (const photoIds of [[photoId], [randomUUID()]]) {
      const { error } = await call('getEvidencePhotoUrls', { photoIds }, otherVillage);
      expect(error?.status).toBe('PERMISSION_DENIED');
    }
    const { error } = await call('getEvidencePhotoUrls', { photoIds: [photoId] }, undefined);
    expect(error?.status).toBe('UNAUTHENTICATED');
  });
});
