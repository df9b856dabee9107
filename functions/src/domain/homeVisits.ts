/**
 * 一户一册一卡 (seed 004): helpers and village cadres visit each household, check its information
 * sheet item by item, correct it, and the household, helper and cadre sign. Progress is reported
 * per village on the 工作进展情况表: helpers who visited, households whose data was corrected,
 * households completed (all three signatures), and whether the city sampled the village and how
 * many households.
 */
import { z } from 'zod';

/** The campaign year of a visit date (YYYY-MM-DD): the table is reported per year. */
export const campaignYearOf = (visitedOn: string): number => Number(visitedOn.slice(0, 4));

export const campaignYearSchema = z.number().int().min(2017).max(2100);

export interface StoredVisit {
  visitorUids: string[];
  corrected: boolean;
  completed: boolean;
}

/**
 * A household's record for the year after one more visit: visitors accumulate, a correction once
 * made stays made, and the household counts as completed once a visit had all three signatures.
 */
export function afterVisit(
  before: StoredVisit | undefined,
  visit: { visitorUid: string; corrected: boolean; signedBy: Record<string, boolean> },
): StoredVisit {
  const signedByAll = Object.values(visit.signedBy).every(Boolean);
  return {
    visitorUids: [...new Set([...(before?.visitorUids ?? []), visit.visitorUid])].sort(),
    corrected: (before?.corrected ?? false) || visit.corrected,
    completed: (before?.completed ?? false) || signedByAll,
  };
}

export interface VillageProgress {
  villageName: string;
  visits: readonly StoredVisit[];
  spotCheck?: { sampled: boolean; households: number };
}

export const visitProgressHeader = [
  '序号',
  '村名',
  '组织工作队员、帮扶联系人入户登记人数(人)',
  '修改、更新贫困户家庭基本信息户数(户)',
  '完成入户登记总数(户)',
  '是否为市级抽查对象(是:1,否:2)',
  '市级抽查户数(户)',
] as const;

/** The table's rows, one per village in the order given: distinct visitors and household counts. */
export function visitProgressRows(
  villages: readonly VillageProgress[],
): Array<Array<string | number>> {
  return villages.map((village, index) => {
    const sampled = village.spotCheck?.sampled === true;
    return [
      index + 1,
      village.villageName,
      new Set(village.visits.flatMap((visit) => visit.visitorUids)).size,
      village.visits.filter((visit) => visit.corrected).length,
      village.visits.filter((visit) => visit.completed).length,
      sampled ? 1 : 2,
      // Only a sampled village fills this column (the form: 不属于市级抽查对象不需填此项).
      sampled ? (village.spotCheck?.households ?? 0) : '',
    ];
  });
}
