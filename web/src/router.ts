/**
 * The hash router: `#/<page>/<id>`. Where a signed-in person lands depends on the role in their
 * ID token claims; the functions check the same claims again on every call.
 */
import { isStaffRole } from '../../functions/src/domain/roles';

export type Destination =
  | { page: 'login' }
  | { page: 'village'; tab: VillageTab; villageCode?: string }
  | { page: 'dashboard'; regionCode?: string }
  | { page: 'staff' }
  | { page: 'donor'; tab: DonorTab }
  | { page: 'publicNeed'; needId: string }
  | { page: 'round'; roundId: string }
  | { page: 'householdFile'; householdId: string }
  | { page: 'sheetVisit'; householdId: string }
  | { page: 'unknownRole'; role: string };

export type VillageTab =
  'households' | 'needs' | 'capture' | 'import' | 'identification' | 'unification';
export type DonorTab = 'browse' | 'mine' | 'profile';

const villageTabs: readonly VillageTab[] = [
  'households',
  'needs',
  'capture',
  'import',
  'identification',
  'unification',
];
const villageRoles = ['village_admin', 'helper'];

/** "#/region/320102" → ["region", "320102"]; empty parts are dropped. */
export function hashParts(hash: string): string[] {
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
}

/** The page for a hash and a role (undefined when nobody is signed in). */
export function destination(hash: string, role: string | undefined): Destination {
  if (role === undefined) return { page: 'login' };
  const [page, id] = hashParts(hash);
  if (page === 'need' && id) return { page: 'publicNeed', needId: id };
  // An identification round (`{villageCode}_{year}_{kind}`), for every office that sees it.
  if (page === 'round' && id && isStaffRole(role) && /^\d{12}_\d{4}_(entry|adjustment)$/.test(id)) {
    return { page: 'round', roundId: id };
  }
  // A household's file (一户一册), for every office that sees it; its home visit for the village's own.
  const householdId = id && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
  if (page === 'file' && householdId && isStaffRole(role)) {
    return { page: 'householdFile', householdId };
  }
  if (page === 'visit' && householdId && villageRoles.includes(role)) {
    return { page: 'sheetVisit', householdId };
  }
  if (villageRoles.includes(role)) {
    const tab = villageTabs.find((candidate) => candidate === page) ?? 'households';
    return { page: 'village', tab };
  }
  // Every other office, township up to the whole country, works from its rates dashboard, opens
  // a village of its area read-only (`#/village/{code}/{households|needs}`), and appoints the
  // level below (`#/staff`).
  if (isStaffRole(role)) {
    if (page === 'staff') return { page: 'staff' };
    if (page === 'village' && id && /^\d{12}$/.test(id)) {
      const sub = hashParts(hash)[2];
      const tab = sub === 'needs' || sub === 'unification' ? sub : 'households';
      return { page: 'village', tab, villageCode: id };
    }
    return page === 'region' && id && /^\d{2,12}$/.test(id)
      ? { page: 'dashboard', regionCode: id }
      : { page: 'dashboard' };
  }
  if (role === 'donor') {
    return { page: 'donor', tab: page === 'mine' || page === 'profile' ? page : 'browse' };
  }
  return { page: 'unknownRole', role };
}

/** The role a token's claims carry: no role claim means a donor who signed up by phone. */
export function roleOfClaims(claims: Record<string, unknown>): string {
  return typeof claims.role === 'string' && claims.role !== '' ? claims.role : 'donor';
}

/**
 * The serial of the public verification page `/verify/{serial}` (the path the certificate's QR
 * code carries), trimmed and in capitals as people may type it; '' for `/verify` alone, undefined
 * for any other path.
 */
export function verifySerialOfPath(pathname: string): string | undefined {
  const match = /^\/verify(?:\/([^/]*))?\/?$/.exec(pathname);
  if (!match) return undefined;
  let serial = match[1] ?? '';
  try {
    serial = decodeURIComponent(serial);
  } catch {
    // Left as it came: the server answers 未找到 for a serial it does not know.
  }
  return serial.trim().toUpperCase().slice(0, 40);
}

/**
 * The id of the public notice page `/notice/{noticeId}` (a 公示's QR code and link); '' for
 * `/notice` alone, undefined for any other path. An id that cannot be one is passed as '' too.
 */
export function noticeIdOfPath(pathname: string): string | undefined {
  const match = /^\/notice(?:\/([^/]*))?\/?$/.exec(pathname);
  if (!match) return undefined;
  const id = match[1] ?? '';
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : '';
}
