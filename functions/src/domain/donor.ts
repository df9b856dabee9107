/**
 * Donors (爱心人士): their profile, the regions they follow (爱心关注), and the caring-person
 * registration table (爱心人士注册统计表, annex 4 of seed 000) with phones masked below the
 * township.
 */
import { z } from 'zod';
import { isWithin, levelOfCode, regionFieldsOf, type RegionFields } from './regions';
import type { Caller } from './roles';
import { donorNameSchema, donorUnitSchema } from './validation/text';

export const donorKinds = ['person', 'enterprise'] as const;
export type DonorKind = (typeof donorKinds)[number];
export const donorKindLabels: Record<DonorKind, string> = { person: '个人', enterprise: '企业' };

/** A division code of any level: a region a donor follows or lives in. */
export const regionCodeSchema = z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/);

export const donorProfileInput = z
  .strictObject({
    kind: z.enum(donorKinds),
    name: donorNameSchema,
    /** 单位: an enterprise's is its own name when left empty; a person's may be empty. */
    unit: z.union([donorUnitSchema, z.literal('')]).optional(),
    /**
     * The village (or community) the donor registered through — the cadres who help residents
     * sign up (seed 001) report them on their village's registration table.
     */
    villageCode: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
  })
  .transform((profile) => ({
    ...profile,
    unit: profile.unit || (profile.kind === 'enterprise' ? profile.name : ''),
  }));
export type DonorProfileInput = z.output<typeof donorProfileInput>;

/** At most this many followed regions: each adds an equality query to the donor's news. */
export const maxFollows = 10;

/** `+8613800000001` → `138****0001`: the number as anyone below the township sees it. */
export function maskPhone(e164: string): string {
  const national = e164.replace(/^\+86/, '');
  if (national.length < 7) return '*'.repeat(national.length);
  return `${national.slice(0, 3)}****${national.slice(-4)}`;
}

/** Who sees donors' phone numbers in full: the township and above (seed 000, annex 4). */
export function seesFullPhones(caller: Caller): boolean {
  return ['township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'].includes(
    caller.role,
  );
}

/** The stored donor document, as saveDonorProfile writes it. */
export interface StoredDonor extends Partial<RegionFields> {
  kind: DonorKind;
  name: string;
  unit: string;
  phone: string;
  follows: string[];
}

/** The region fields of a donor's village, for the registration table's one-equality filter. */
export function donorRegionFields(villageCode: string | undefined): Partial<RegionFields> {
  return villageCode ? regionFieldsOf(villageCode) : {};
}

/** May `caller` export the registration table of `regionCode`? Village admins: their own village. */
export function canExportDonorRegistry(caller: Caller, regionCode: string): boolean {
  if (caller.role === 'donor' || caller.role === 'helper') return false;
  return levelOfCode(regionCode) !== undefined && isWithin(regionCode, caller.region);
}

export interface DonorRegistryRow {
  name: string;
  unit: string;
  phone: string;
}

export const donorRegistryHeader = ['序号', '姓名', '单位', '注册电话'] as const;

/** The rows of the table, numbered, with phones masked unless `fullPhones`. */
export function donorRegistryGrid(
  rows: readonly DonorRegistryRow[],
  fullPhones: boolean,
): string[][] {
  return rows.map((row, index) => [
    String(index + 1),
    row.name,
    row.unit,
    fullPhones ? row.phone.replace(/^\+86/, '') : maskPhone(row.phone),
  ]);
}
