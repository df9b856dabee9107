import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fontSet, FontsMissingError } from './fonts';
import { renderCertificate } from './render';

describe('certificate fonts that are not there', () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-fonts-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  test('are named in the error, so the trigger can log what is missing', async () => {
    const opened = fontSet(empty);
    await expect(opened).rejects.toBeInstanceOf(FontsMissingError);
    await expect(opened).rejects.toMatchObject({
      missing: expect.stringMatching(/no-fonts-[^/]+\/manifest\.json$/),
    });
  });

  test('stop a render with that error, not another', async () => {
    const record = {
      serial: 'FP-2026-7K3M-9QXA-D210',
      donorName: '王赟犇',
      householdMasked: '张*华',
      villageName: '十八洞村',
      gift: { kind: 'money' as const, amountFen: 100 },
      issuedAt: '2026-11-23',
      donationId: 'donation-1',
      needId: 'need-1',
    };
    await expect(
      renderCertificate(record, { origin: 'https://example.org', fontDir: empty }),
    ).rejects.toBeInstanceOf(FontsMissingError);
  });
});
