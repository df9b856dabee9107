/** What the donor profile callables share: the profile and followed regions as a donor sees them. */
import type { DonorProfile, FollowedRegion } from '../contract/money';
import { regionDocs } from '../data/households';
import type { StoredDonor } from '../data/money';
import { maskPhone } from '../domain/donor';
import { db } from './db';

/** The profile as its donor sees it; null until a name is saved (following alone makes none). */
export function profileView(donor: StoredDonor | undefined): DonorProfile | null {
  if (!donor?.name || !donor.kind) return null;
  return {
    kind: donor.kind,
    name: donor.name,
    unit: donor.unit || null,
    phoneMasked: maskPhone(donor.phone ?? ''),
    villageCode: donor.villageCode ?? null,
  };
}

export async function followsView(codes: readonly string[]): Promise<FollowedRegion[]> {
  if (codes.length === 0) return [];
  const regions = await db().getAll(...codes.map((code) => regionDocs().doc(code)));
  return codes.map((code, index) => {
    const region = regions[index]?.data();
    return { code, name: region?.fullName ?? region?.name ?? code };
  });
}
