import { getFirestore, type Firestore } from 'firebase-admin/firestore';

let firestore: Firestore | undefined;

/** The default Firestore database, created on first use (not at import) to keep cold starts short. */
export function db(): Firestore {
  firestore ??= getFirestore();
  return firestore;
}

/** Collection names, in one place so that rules, indexes and code agree. */
export const collections = {
  regions: 'regions',
  households: 'households',
  householdsPrivate: 'householdsPrivate',
  stats: 'stats',
  staff: 'staff',
  eventMarkers: 'eventMarkers',
  requests: 'requests',
  needs: 'needs',
  needsPrivate: 'needsPrivate',
  uploads: 'uploads',
  donors: 'donors',
  donations: 'donations',
  certificates: 'certificates',
} as const;

/** Firestore's gRPC status for a failed `create()` precondition. */
export const alreadyExistsCode = 6;

export function isAlreadyExists(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === alreadyExistsCode;
}
