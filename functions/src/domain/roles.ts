import { isWithin, levelOfCode, type RegionLevel } from './regions';

/** Roles carried in Firebase Auth custom claims (`role`, `region`). */
export const staffRoles = [
  'ops',
  'province_admin',
  'city_admin',
  'county_admin',
  'township_admin',
  'village_admin',
  'helper',
] as const;
export type StaffRole = (typeof staffRoles)[number];
export type Role = StaffRole | 'donor';

/** Everyone who signs in: donors and every staff role. */
export const signedInRoles: readonly Role[] = [...staffRoles, 'donor'];

export const roleLabels: Record<Role, string> = {
  ops: '运维',
  province_admin: '省级管理员',
  city_admin: '市级管理员',
  county_admin: '县级管理员',
  township_admin: '镇级管理员',
  village_admin: '村级信息管理员',
  helper: '帮扶责任人',
  donor: '爱心人士',
};

/** The region level each administrator role is bound to. */
export const adminLevelOf: Partial<Record<Role, RegionLevel>> = {
  province_admin: 'province',
  city_admin: 'city',
  county_admin: 'county',
  township_admin: 'township',
  village_admin: 'village',
  helper: 'village',
};

export interface Caller {
  uid: string;
  role: Role;
  /** Division code the role is scoped to; '' for ops (the whole country) and donors. */
  region: string;
}

export function isStaffRole(role: unknown): role is StaffRole {
  return typeof role === 'string' && (staffRoles as readonly string[]).includes(role);
}

/** A claim set is well formed when the region's length matches the role's level. */
export function claimsAreConsistent(role: Role, region: string): boolean {
  if (role === 'ops' || role === 'donor') return region === '';
  const level = adminLevelOf[role];
  return level !== undefined && levelOfCode(region) === level;
}

/** May this caller see (read) data of the region `code`? */
export function canRead(caller: Caller, code: string): boolean {
  if (caller.role === 'donor') return false;
  return isWithin(code, caller.region);
}

/** May this caller change the households and needs of village `villageCode`? */
export function canManageVillage(caller: Caller, villageCode: string): boolean {
  return caller.role === 'village_admin' && caller.region === villageCode;
}

/**
 * Who appoints whom: each administrator appoints the level directly below; the township appoints
 * village information administrators and helpers (seed 000: the township service station adjusts
 * village administrators).
 */
export const appointableRoles: Partial<Record<Role, readonly StaffRole[]>> = {
  ops: ['province_admin'],
  province_admin: ['city_admin'],
  city_admin: ['county_admin'],
  county_admin: ['township_admin'],
  township_admin: ['village_admin', 'helper'],
};

/** At most this many holders of a role per region (seed 000: two village administrators per village, two per township station). */
export const seatsPerRegion: Partial<Record<StaffRole, number>> = {
  village_admin: 2,
  township_admin: 2,
};

/** May `caller` appoint someone as `role` for `region`? */
export function canAppoint(caller: Caller, role: StaffRole, region: string): boolean {
  return (
    (appointableRoles[caller.role] ?? []).includes(role) &&
    claimsAreConsistent(role, region) &&
    isWithin(region, caller.region)
  );
}

/** Staff who may reveal a full ID or bank number (with a reason, audited): the village and its supervisors. */
export function canReveal(caller: Caller, villageCode: string): boolean {
  const revealers: Role[] = ['village_admin', 'township_admin', 'county_admin'];
  return revealers.includes(caller.role) && isWithin(villageCode, caller.region);
}
