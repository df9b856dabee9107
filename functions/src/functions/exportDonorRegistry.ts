import { z } from 'zod';
import {
  canExportDonorRegistry,
  donorRegistryGrid,
  donorRegistryHeader,
  regionCodeSchema,
  seesFullPhones,
  type DonorRegistryRow,
} from '../domain/donor';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { tableFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { untypedCallable, deny } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';

export const exportDonorRegistryInput = z.strictObject({
  /** A village, or a township or higher (their villages' donors together). */
  regionCode: regionCodeSchema,
  format: z.enum(['csv', 'xlsx']),
});

/**
 * The caring-person registration table (爱心人士注册统计表, annex 4 of seed 000: 姓名, 单位,
 * 注册电话) of the donors who registered through a village or a township's villages. Village
 * administrators see phones masked (138****0001); the township and above in full, as the table
 * is reported to the township office.
 */
export const exportDonorRegistry = untypedCallable({
  name: 'exportDonorRegistry',
  input: exportDonorRegistryInput,
  roles: ['village_admin', 'township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ regionCode, format }, caller) => {
    if (!canExportDonorRegistry(caller, regionCode)) deny('exportDonorRegistry', caller.uid);
    const field = regionFieldNameOf(levelOfCode(regionCode) as RegionLevel);
    const [region, donors] = await Promise.all([
      db().collection(collections.regions).doc(regionCode).get(),
      db().collection(collections.donors).where(field, '==', regionCode).orderBy('__name__').get(),
    ]);
    const rows: DonorRegistryRow[] = donors.docs
      .filter((doc) => doc.get('name'))
      .map((doc) => ({
        name: String(doc.get('name')),
        unit: String(doc.get('unit') ?? ''),
        phone: String(doc.get('phone') ?? ''),
      }));
    const fullPhones = seesFullPhones(caller);
    const regionName = String(region.get('name') ?? regionCode);
    const title = `${regionName}“中国社会扶贫网”爱心人士注册统计表`;
    const table = {
      title,
      sheet: '爱心人士注册统计表',
      header: donorRegistryHeader,
      rows: donorRegistryGrid(rows, fullPhones),
      widths: [6, 14, 28, 16],
    };
    const file = await tableFile(table, format, `${regionName}爱心人士注册统计表-${chinaDateOf()}`);
    logs.donorRegistryExported(caller.uid, regionCode, rows.length, fullPhones);
    return { ...file, rows: rows.length };
  },
});
