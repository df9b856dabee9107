import { FieldValue } from 'firebase-admin/firestore';
import type { UnificationReport, UnificationRow } from '../../contract/householdFile';
import { getAllOf } from '../../data/converter';
import { fileChangeDocs, householdFileDocs, sheetVisitDocs } from '../../data/householdFile';
import { householdDocs, homeVisitDocs, regionDocs } from '../../data/households';
import { confirmationParties, rosterDifferences } from '../../domain/householdFile';
import { isWithin } from '../../domain/regions';
import type { Caller } from '../../domain/roles';
import { tableFile } from '../../domain/table';
import { chinaDateOf } from '../../domain/validation/idNumber';
import { callable, deny } from '../../lib/callable';
import { logs } from '../../logs';
import { changeRowOf, inVisitOrder } from '../../services/householdFile';
import { retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

const readers = ['village_admin', 'township_admin', 'county_admin', 'ops'] as const;

function mayRead(caller: Caller, villageCode: string): boolean {
  return caller.role === 'ops' || isWithin(villageCode, caller.region);
}

/**
 * 查漏补缺 (seed 004): for each household of the village, where its file differs from the last
 * imported national roster, whether it was visited this year, visits without all three
 * confirmations, and corrections not yet entered into the national system.
 */
async function unificationReport(villageCode: string, year: number): Promise<UnificationReport> {
  const [households, files, visits, sheetVisits, changes] = await Promise.all([
    householdDocs().where('villageCode', '==', villageCode).where('onRoster', '==', true).get(),
    householdFileDocs().where('villageCode', '==', villageCode).get(),
    homeVisitDocs().where('villageCode', '==', villageCode).where('year', '==', year).get(),
    sheetVisitDocs().where('villageCode', '==', villageCode).where('year', '==', year).get(),
    fileChangeDocs().where('villageCode', '==', villageCode).where('entered', '==', false).get(),
  ]);
  const fileOf = new Map(files.docs.map((doc) => [doc.id, doc.data()]));
  const visited = new Set(visits.docs.map((doc) => doc.data().householdId));
  // A visit lacking a confirmation counts until a later visit of the year has all three: the
  // sheet signed last is the one that stands.
  const unconfirmed = new Map<string, number>();
  const inOrder = [...sheetVisits.docs].sort((a, b) => inVisitOrder(a.data(), b.data()));
  for (const doc of inOrder) {
    const visit = doc.data();
    visited.add(visit.householdId);
    const lacking = confirmationParties.some((party) => visit.confirmations[party].kind === 'none');
    unconfirmed.set(visit.householdId, lacking ? (unconfirmed.get(visit.householdId) ?? 0) + 1 : 0);
  }
  const pending = new Map<string, ReturnType<typeof changeRowOf>[]>();
  for (const doc of changes.docs) {
    const change = doc.data();
    pending.set(change.householdId, [
      ...(pending.get(change.householdId) ?? []),
      changeRowOf(doc.id, change),
    ]);
  }
  const rows: UnificationRow[] = households.docs
    .map((doc) => {
      const household = doc.data();
      const file = fileOf.get(doc.id);
      const sheet = file
        ? {
            members: file.members.map((member) => ({
              ...member,
              idNumber: '',
              health: 'healthy' as const,
            })),
            living: file.living,
            income: file.income,
            causes: file.causes,
          }
        : null;
      return {
        householdId: doc.id,
        headName: household.headName,
        helperName: household.helperName ?? null,
        differences: rosterDifferences(sheet, household),
        visited: visited.has(doc.id),
        unconfirmedVisits: unconfirmed.get(doc.id) ?? 0,
        pendingChanges: (pending.get(doc.id) ?? []).sort((a, b) => a.at.localeCompare(b.at)),
      };
    })
    .sort(
      (a, b) =>
        a.headName.localeCompare(b.headName, 'zh-CN') || a.householdId.localeCompare(b.householdId),
    );
  return {
    villageCode,
    year,
    households: rows.length,
    rows: rows.filter(
      (row) =>
        row.differences.length > 0 ||
        !row.visited ||
        row.unconfirmedVisits > 0 ||
        row.pendingChanges.length > 0,
    ),
    totals: {
      differing: rows.filter((row) => row.differences.length > 0).length,
      notVisited: rows.filter((row) => !row.visited).length,
      unconfirmed: rows.filter((row) => row.unconfirmedVisits > 0).length,
      pendingChanges: rows.reduce((sum, row) => sum + row.pendingChanges.length, 0),
    },
  };
}

/** The 三统一 report of a village: to the village and the offices above it. */
export const getUnificationReport = callable({
  name: 'getUnificationReport',
  roles: readers,
  handler: async ({ villageCode, year }, caller) => {
    if (!mayRead(caller, villageCode)) deny('getUnificationReport', caller.uid);
    return unificationReport(villageCode, year);
  },
});

/** The 查漏补缺 list as CSV or XLSX: one row per problem, in words a cadre acts on. */
export const exportUnificationReport = callable({
  name: 'exportUnificationReport',
  roles: readers,
  handler: async ({ villageCode, year, format }, caller) => {
    if (!mayRead(caller, villageCode)) deny('exportUnificationReport', caller.uid);
    const [report, village] = await Promise.all([
      unificationReport(villageCode, year),
      regionDocs().doc(villageCode).get(),
    ]);
    const rows: string[][] = [];
    for (const row of report.rows) {
      const helper = row.helperName ?? '未分配';
      if (!row.visited) rows.push([row.headName, helper, '本年未入户核实', '', '', '']);
      if (row.unconfirmedVisits > 0) {
        rows.push([
          row.headName,
          helper,
          '入户核实缺少三方签字确认',
          `${row.unconfirmedVisits}次`,
          '',
          '',
        ]);
      }
      for (const difference of row.differences) {
        rows.push([
          row.headName,
          helper,
          '档案与国扶系统不一致',
          difference.label,
          difference.file,
          difference.roster,
        ]);
      }
      for (const change of row.pendingChanges) {
        rows.push([
          row.headName,
          helper,
          '修改待录入国扶系统',
          change.label,
          change.new,
          change.old,
        ]);
      }
    }
    const villageName = village.data()?.name ?? villageCode;
    const date = chinaDateOf();
    const table = {
      title: `${villageName}${year}年度“三统一”查漏补缺清单（导出日期：${date}）`,
      sheet: '查漏补缺',
      header: ['户主', '帮扶联系人', '问题', '项目', '档案（新值）', '国扶系统（原值）'],
      rows,
      widths: [10, 12, 24, 28, 20, 20],
    };
    return {
      ...(await tableFile(table, format, `${villageName}${year}年度三统一查漏补缺清单-${date}`)),
      rows: rows.length,
    };
  },
});

/**
 * The village information administrator marks corrections as entered into the national system
 * (seed 004: what the system could not take yet is recorded, and entered once it opens). Each
 * change is marked once, on the condition that it is still as read.
 */
export const markCorrectionsEntered = callable({
  name: 'markCorrectionsEntered',
  roles: ['village_admin'],
  handler: async ({ requestId, changeIds }, caller) => {
    const { result, replayed } = await retryOnConflict(() =>
      runOnce('markCorrectionsEntered', caller.uid, requestId, async (batch) => {
        const changes = await getAllOf(changeIds.map((id) => fileChangeDocs().doc(id)));
        let entered = 0;
        let alreadyEntered = 0;
        for (const snapshot of changes) {
          const change = snapshot.data();
          if (!change || change.villageCode !== caller.region)
            deny('markCorrectionsEntered', caller.uid);
          if (change.entered) {
            alreadyEntered++;
            continue;
          }
          batch.update(
            snapshot.ref,
            { entered: true, enteredAt: FieldValue.serverTimestamp(), enteredBy: caller.uid },
            unchanged(snapshot),
          );
          entered++;
        }
        return { entered, alreadyEntered };
      }),
    );
    if (replayed) logs.callableReplayed('markCorrectionsEntered', caller.uid);
    return result;
  },
});
