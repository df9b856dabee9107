import { HttpsError } from 'firebase-functions/v2/https';
import { townshipSettingsDocs } from '../data/householdFile';
import { homeVisitDocs, regionDocs, spotCheckDocs } from '../data/households';
import { fontSet } from '../domain/certificate/fonts';
import { progressFormPdf } from '../domain/printables';
import { visitProgressHeader, visitProgressRows } from '../domain/homeVisits';
import { levelOfCode, regionFieldNameOf, type RegionLevel } from '../domain/regions';
import { canRead } from '../domain/roles';
import { tableFile } from '../domain/table';
import { chinaDateOf } from '../domain/validation/idNumber';
import { callable, deny } from '../lib/callable';

/**
 * The 一户一册一卡工作进展情况表 of a township (seed 004), as CSV, XLSX or a PDF for the seal, with
 * the township's footer (镇人民政府(公章), 填报日期, 审核人, 填报人, 联系方式) and its 工作开展情况及建议.
 */
export const exportVisitProgress = callable({
  name: 'exportVisitProgress',
  roles: ['village_admin', 'township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'],
  handler: async ({ regionCode, year, format }, caller) => {
    if (!canRead(caller, regionCode)) deny('exportVisitProgress', caller.uid);
    const field = regionFieldNameOf(levelOfCode(regionCode) as RegionLevel);
    const regions = regionDocs();
    const [region, villages, visits, checks] = await Promise.all([
      regions.doc(regionCode).get(),
      regionCode.length === 12
        ? regions.where('code', '==', regionCode).get()
        : regions.where('parentCode', '==', regionCode).get(),
      homeVisitDocs().where(field, '==', regionCode).where('year', '==', year).get(),
      spotCheckDocs().where(field, '==', regionCode).where('year', '==', year).get(),
    ]);
    const visitsOf = visits.docs.map((doc) => doc.data());
    const checksOf = checks.docs.map((doc) => doc.data());
    const rows = visitProgressRows(
      villages.docs
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((village) => ({
          villageName: village.data().name,
          visits: visitsOf.filter((visit) => visit.villageCode === village.id),
          spotCheck: checksOf.find((check) => check.villageCode === village.id),
        })),
    );
    const date = chinaDateOf();
    const regionName = region.data()?.name ?? regionCode;
    const table = {
      title: `${regionName}${year}年度精准帮扶“一户一册一卡”工作进展情况表（填报日期：${date}）`,
      sheet: '工作进展情况表',
      header: visitProgressHeader,
      rows,
      widths: [6, 12, 22, 22, 18, 20, 14],
    };
    const name = `${regionName}${year}年度一户一册一卡工作进展情况表-${date}`;
    // The township's footer and its 工作开展情况及建议 (saveProgressReport), as the seed's form prints them.
    const township = regionCode.slice(0, 9);
    const footer = (await townshipSettingsDocs().doc(township).get()).data()?.progressReports?.[
      String(year)
    ];
    if (format === 'pdf') {
      if (!footer) {
        throw new HttpsError(
          'failed-precondition',
          '请先由乡镇填写本年度的审核人、填报人、联系方式和工作开展情况及建议，再导出打印版',
          { reason: 'footer_missing' },
        );
      }
      const townshipName = (await regions.doc(township).get()).data()?.name ?? township;
      const pdf = progressFormPdf(
        { title: table.title, header: visitProgressHeader, rows, footer, townshipName },
        await fontSet(),
      );
      return {
        filename: `${name}.pdf`,
        contentType: 'application/pdf',
        dataBase64: pdf.toString('base64'),
        rows: rows.length,
      };
    }
    const footerLines = footer
      ? [
          `镇人民政府（公章）　　填报日期：${footer.filledOn}`,
          `工作开展情况及建议：${footer.summary}`,
          `审核人：${footer.reviewer}　　填报人：${footer.filler}　　联系方式：${footer.contact}`,
        ]
      : [];
    return {
      ...(await tableFile({ ...table, footer: footerLines }, format, name)),
      rows: rows.length,
    };
  },
});
