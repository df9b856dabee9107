/**
 * Certificate records for the benchmark: varied donors (persons with common and rare
 * characters, enterprises with their unit), villages, amounts and goods lists, from a seeded
 * generator so that every run renders the same set.
 */
import { serialFor, type CertificateRecord } from '../../src/domain/certificate';

export const benchKey = 'bench-only-certificate-signing-key-0123456789';

const donors = [
  '王赟犇',
  '李淼',
  '张鑫昇',
  '刘喆',
  '陈堃',
  '赵琇',
  '孙珺',
  '周燚',
  '吴建国',
  '郑秀英',
];
const units = ['北京某某科技有限公司', '湖南省某某建设集团', '深圳市某某爱心基金会'];
const households = ['张*华', '李*', '王*芳', '欧阳*明', '买买提·*'];
const villages = ['十八洞村', '下党村', '赤溪村', '骆驼湾村', '阿者科村'];
const goods = [
  { name: '棉被', unit: '床' },
  { name: '大米', unit: '斤' },
  { name: '食用油', unit: '桶' },
  { name: '书包', unit: '个' },
  { name: '羽绒服', unit: '件' },
  { name: '化肥', unit: '袋' },
];

/** `count` records, the same on every run. */
export function benchRecords(count: number): CertificateRecord[] {
  let seed = 20261123;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  return Array.from({ length: count }, (_, i) => {
    const donationId = `bench-donation-${i}`;
    const issuedAt = `2026-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
    const gift: CertificateRecord['gift'] =
      i % 3 === 2
        ? {
            kind: 'goods',
            items: goods
              .slice(0, 1 + next(goods.length))
              .map((item) => ({ ...item, quantity: 1 + next(60) })),
          }
        : { kind: 'money', amountFen: 100 * (1 + next(5000)) + next(100) };
    return {
      serial: serialFor(donationId, issuedAt, benchKey),
      donorName: donors[i % donors.length] as string,
      ...(i % 4 === 1 ? { donorUnit: units[next(units.length)] as string } : {}),
      householdMasked: households[next(households.length)] as string,
      villageName: villages[next(villages.length)] as string,
      gift,
      issuedAt,
      donationId,
      needId: `bench-need-${next(1000)}`,
    };
  });
}
