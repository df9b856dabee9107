import { regionDocs, staffDocs } from '../data/households';
import { needDocs } from '../data/needs';
import { ancestorCode } from '../domain/regions';
import { canRead } from '../domain/roles';
import { ledgerCsv, ledgerXlsx, type LedgerEntry } from '../domain/roster/ledger';
import { exportFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { callable, deny } from '../lib/callable';

/**
 * The village's need collection ledger (贫困需求采集台账, annex 3 of seed 000) as CSV or XLSX.
 * ID numbers appear as their last four characters: a full number is only ever revealed one at a
 * time, with a reason, through revealSensitive.
 */
export const exportLedger = callable({
  name: 'exportLedger',
  roles: ['village_admin', 'township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ villageCode: requested, format }, caller) => {
    const villageCode = requested ?? (caller.region.length === 12 ? caller.region : undefined);
    if (!villageCode || !canRead(caller, villageCode)) deny('exportLedger', caller.uid);
    const [village, township, staff, needs] = await Promise.all([
      regionDocs().doc(villageCode).get(),
      regionDocs().doc(ancestorCode(villageCode, 'township')).get(),
      staffDocs().doc(caller.uid).get(),
      needDocs().where('villageCode', '==', villageCode).orderBy('__name__').get(),
    ]);
    const entries: LedgerEntry[] = needs.docs
      .map((doc) => doc.data())
      .filter((need) => need.status !== 'withdrawn')
      .map((need) => ({
        headName: need.headName,
        id: { kind: 'last4' as const, last4: need.idLast4 },
        need:
          need.kind === 'money'
            ? { category: need.category, kind: 'money' as const, amountFen: need.amountFen }
            : { category: need.category, kind: 'goods' as const, items: need.items },
        decision:
          need.review?.opinion === 'publish'
            ? { opinion: 'publish' as const }
            : need.review?.opinion === 'reject'
              ? { opinion: 'reject' as const, reasonCodes: need.review.reasonCodes ?? [] }
              : undefined,
      }));
    const input = {
      townshipName: township.data()?.name ?? '',
      villageName: village.data()?.name ?? villageCode,
      collector: staff.data()?.name ?? '',
      date: chinaDateOf(),
      entries,
    };
    const data = format === 'csv' ? ledgerCsv(input) : await ledgerXlsx(input);
    return {
      ...exportFile(`${input.villageName}贫困需求采集台账-${input.date}`, format, data),
      entries: entries.length,
    };
  },
});
