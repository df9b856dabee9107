/**
 * One fresh process's first certificate: the import of the certificate module, then the first
 * renderCertificate call, which loads the QR encoder and reads the fonts (both lazily, on first
 * use), then a second call. Prints one JSON line. Imports nothing else of the project, so that
 * the module is loaded here for the first time.
 */
async function main(): Promise<void> {
  const importStarted = performance.now();
  const { renderCertificate } = await import('../../src/domain/certificate');
  const importMs = performance.now() - importStarted;
  const record = {
    serial: 'FP-2026-62H8-13PS-9W77',
    donorName: '王赟犇',
    donorUnit: '北京某某科技有限公司',
    householdMasked: '张*华',
    villageName: '十八洞村',
    gift: { kind: 'money' as const, amountFen: 123450 },
    issuedAt: '2026-11-23',
    donationId: 'bench-first',
    needId: 'bench-need',
  };
  const origin = 'https://fupin.web.app';
  // The benchmark runs a compiled copy outside functions/: it names the fonts folder.
  const fontDir = process.argv[2];
  // CPU time beside wall time: on a shared machine the wall time also counts waiting for a core.
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { pdf, png } = await renderCertificate(record, { origin, fontDir });
  const firstMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const firstCpuMs = (cpu.user + cpu.system) / 1000;
  const secondStarted = performance.now();
  await renderCertificate({ ...record, donorName: '李淼' }, { origin, fontDir });
  const secondMs = performance.now() - secondStarted;
  console.log(
    JSON.stringify({
      importMs,
      firstMs,
      firstCpuMs,
      secondMs,
      pdfBytes: pdf.length,
      pngBytes: png.length,
    }),
  );
}

void main();
