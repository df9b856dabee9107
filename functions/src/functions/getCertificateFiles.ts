import { z } from 'zod';
import { serialSchema } from '../domain/certificate';
import { deny, untypedCallable } from '../lib/callable';
import { fileLinkTtlMs } from '../services/certificates';
import { collections, db } from '../services/db';
import { objectStore } from '../services/objectStore';

export const getCertificateFilesInput = z.strictObject({ serial: serialSchema });

/** A donor's own certificate: short-lived links to the PDF and the PNG preview. */
export const getCertificateFiles = untypedCallable({
  name: 'getCertificateFiles',
  input: getCertificateFilesInput,
  roles: ['donor'],
  handler: async ({ serial }, caller) => {
    const stored = await db().collection(collections.certificates).doc(serial).get();
    // Someone else's certificate and no certificate get the same answer.
    if (!stored.exists || stored.get('donorUid') !== caller.uid)
      deny('getCertificateFiles', caller.uid);
    const [pdfUrl, pngUrl] = await Promise.all([
      objectStore().signedReadUrl(String(stored.get('pdfPath')), fileLinkTtlMs),
      objectStore().signedReadUrl(String(stored.get('pngPath')), fileLinkTtlMs),
    ]);
    return { pdfUrl, pngUrl };
  },
});
