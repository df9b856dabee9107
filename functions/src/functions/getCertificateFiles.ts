import { certificateDocs } from '../data/money';
import { callable, deny } from '../lib/callable';
import { fileLinkTtlMs } from '../services/certificates';
import { objectStore } from '../services/objectStore';

/** A donor's own certificate: short-lived links to the PDF and the PNG preview. */
export const getCertificateFiles = callable({
  name: 'getCertificateFiles',
  roles: ['donor'],
  handler: async ({ serial }, caller) => {
    const stored = (await certificateDocs().doc(serial).get()).data();
    // Someone else's certificate and no certificate get the same answer.
    if (stored?.donorUid !== caller.uid) deny('getCertificateFiles', caller.uid);
    const [pdfUrl, pngUrl] = await Promise.all([
      objectStore().signedReadUrl(stored.pdfPath, fileLinkTtlMs),
      objectStore().signedReadUrl(stored.pngPath, fileLinkTtlMs),
    ]);
    return { pdfUrl, pngUrl };
  },
});
