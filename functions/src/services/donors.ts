/** What the donor profile callables share: the profile and followed regions as a donor sees them. */
import { maskPhone, type DonorKind } from '../domain/donor';
import { collections, db } from './db';

export interface DonorProfileView {
  kind: DonorKind;
  name: string;
  unit: string | null;
  phoneMasked: string;
  villageCode: string | null;
}

export function profileView(doc: FirebaseFirestore.DocumentSnapshot): DonorProfileView | null {
  if (!doc.exists || !doc.get('name')) return null;
  return {
    kind: doc.get('kind') as DonorKind,
    name: String(doc.get('name')),
    unit: doc.get('unit') ? String(doc.get('unit')) : null,
    phoneMasked: maskPhone(String(doc.get('phone') ?? '')),
    villageCode: doc.get('villageCode') ?? null,
  };
}

export async function followsView(codes: readonly string[]) {
  if (codes.length === 0) return [];
  const regions = await db().getAll(
    ...codes.map((code) => db().collection(collections.regions).doc(code)),
  );
  return regions.map((region, index) => ({
    code: codes[index] as string,
    name: String(region.get('fullName') ?? region.get('name') ?? codes[index]),
  }));
}
