import {
  canExportDonorRegistry,
  donorRegistryGrid,
  donorRegistryHeader,
  seesFullPhones,
  type DonorRegistryRow,
} from '../domain/donor';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { tableFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { regionDocs } from '../data/households';
import { donorDocs } from '../data/money';

/**
 * The caring-person registration table (爱心人士注册统计表, annex 4 of seed 000: 姓名, 单位,
 * 注册电话) of the donors who registered through a village or a township's villages. Village
 * administrators see phones masked (138****0001); the township and above in full, as the table
 * is reported to the township office.
 */
export const exportDonorRegistry = callable({
  name: 'exportDonorRegistry',
  roles: ['village_admin', 'township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ regionCode, format }, caller) => {
    if (!canExportDonorRegistry(caller, regionCode)) deny('exportDonorRegistry', caller.uid);
    const field = regionFieldNameOf(levelOfCode(regionCode) as RegionLevel);
    const [region, donors] = await Promise.all([
      regionDocs().doc(regionCode).get(),
      donorDocs().where(field, '==', regionCode).orderBy('__name__').get(),
    ]);
    const rows: DonorRegistryRow[] = donors.docs
      .map((doc) => doc.data())
      .filter((donor) => donor.name)
      .map((donor) => ({
        name: donor.name ?? '',
        unit: donor.unit ?? '',
        phone: donor.phone ?? '',
      }));
    const fullPhones = seesFullPhones(caller);
    const regionName = region.data()?.name ?? regionCode;
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
