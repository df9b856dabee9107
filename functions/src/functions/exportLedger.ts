import { z } from 'zod';
import type { NeedCategory } from '../domain/need/categories';
import type { RejectionReason } from '../domain/need/rejection';
import type { GoodsItem } from '../domain/need/submission';
import { ancestorCode } from '../domain/regions';
import { canRead } from '../domain/roles';
import { ledgerCsv, ledgerXlsx, type LedgerEntry } from '../domain/roster/ledger';
import { exportFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { untypedCallable, deny } from '../lib/callable';
import { collections, db } from '../services/db';

export const exportLedgerInput = z.strictObject({
  villageCode: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  format: z.enum(['csv', 'xlsx']),
});

/**
 * The village's need collection ledger (贫困需求采集台账, annex 3 of seed 000) as CSV or XLSX.
 * ID numbers appear as their last four characters: a full number is only ever revealed one at a
 * time, with a reason, through revealSensitive.
 */
export const exportLedger = untypedCallable({
  name: 'exportLedger',
  input: exportLedgerInput,
  roles: ['village_admin', 'township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ villageCode: requested, format }, caller) => {
    const villageCode = requested ?? (caller.region.length === 12 ? caller.region : undefined);
    if (!villageCode || !canRead(caller, villageCode)) deny('exportLedger', caller.uid);
    const [village, township, staff, needs] = await Promise.all([
      db().collection(collections.regions).doc(villageCode).get(),
      db().collection(collections.regions).doc(ancestorCode(villageCode, 'township')).get(),
      db().collection(collections.staff).doc(caller.uid).get(),
      db()
        .collection(collections.needs)
        .where('villageCode', '==', villageCode)
        .orderBy('__name__')
        .get(),
    ]);
    const entries: LedgerEntry[] = needs.docs
      .filter((doc) => doc.get('status') !== 'withdrawn')
      .map((doc) => {
        const need = doc.data();
        const review = need.review as { opinion?: string; reasonCodes?: RejectionReason[] } | null;
        return {
          headName: String(need.headName),
          id: { kind: 'last4' as const, last4: String(need.idLast4) },
          need:
            need.kind === 'money'
              ? {
                  category: need.category as NeedCategory,
                  kind: 'money' as const,
                  amountFen: Number(need.amountFen),
                }
              : {
                  category: need.category as NeedCategory,
                  kind: 'goods' as const,
                  items: need.items as GoodsItem[],
                },
          decision:
            review?.opinion === 'publish'
              ? { opinion: 'publish' as const }
              : review?.opinion === 'reject'
                ? { opinion: 'reject' as const, reasonCodes: review.reasonCodes ?? [] }
                : undefined,
        };
      });
    const input = {
      townshipName: String(township.get('name') ?? ''),
      villageName: String(village.get('name') ?? villageCode),
      collector: String(staff.get('name') ?? ''),
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
