import { getFirestore, type Firestore } from 'firebase-admin/firestore';

let firestore: Firestore | undefined;

/** The default Firestore database, created on first use (not at import) to keep cold starts short. */
export function db(): Firestore {
  firestore ??= getFirestore();
  return firestore;
}

/**
 * Every collection's name, here and nowhere else, so that rules, indexes, triggers and code agree.
 * A trigger's document path is built from these too (`${collections.needs}/{needId}`).
 */
export const collections = {
  regions: 'regions',
  households: 'households',
  householdsPrivate: 'householdsPrivate',
  stats: 'stats',
  statsHistory: 'statsHistory',
  /** The minute rollup's cursor (`rollupState/cursor`); written by the schedule only. */
  rollupState: 'rollupState',
  staff: 'staff',
  staffSeats: 'staffSeats',
  eventMarkers: 'eventMarkers',
  requests: 'requests',
  needs: 'needs',
  needsPrivate: 'needsPrivate',
  publicNeeds: 'publicNeeds',
  evidencePhotos: 'evidencePhotos',
  evidencePhotoSeats: 'evidencePhotoSeats',
  /** `photoHashes/{photoId}`: a processed photo's perceptual hash and band keys (services/photoHashes.ts). */
  photoHashes: 'photoHashes',
  donors: 'donors',
  donations: 'donations',
  certificates: 'certificates',
  certificateRevocations: 'certificateRevocations',
  rosterImports: 'rosterImports',
  homeVisits: 'homeVisits',
  spotChecks: 'spotChecks',
  auditLog: 'auditLog',
  /** `paymentReceipts/{providerTradeNo}`: a payment the provider proved, written once by alipayNotify. */
  paymentReceipts: 'paymentReceipts',
  /**
   * `paymentExceptions/{providerTradeNo}`: a payment the provider proved that is not the receipt of
   * a pledge (another amount, a pledge no longer waiting, an order never opened here).
   */
  paymentExceptions: 'paymentExceptions',
  /** 建档立卡 identification (data/identification.ts): a village's round of a year and kind. */
  identificationRounds: 'identificationRounds',
  identificationApplications: 'identificationApplications',
  /** The ID numbers of an application; read by the functions only. */
  identificationApplicationsPrivate: 'identificationApplicationsPrivate',
  identificationNotices: 'identificationNotices',
  identificationObjections: 'identificationObjections',
  /** The append-only record of every step: created once, never updated. */
  identificationSteps: 'identificationSteps',
  identificationQuotas: 'identificationQuotas',
  /** An ID number held by an open application (data/identification `idClaimDocs`). */
  identificationIdClaims: 'identificationIdClaims',
  /** 一户一册一卡 (data/householdFile.ts): the household's file, its private part, visits, changes. */
  householdFiles: 'householdFiles',
  householdFilesPrivate: 'householdFilesPrivate',
  sheetVisits: 'sheetVisits',
  householdFileChanges: 'householdFileChanges',
  /** A township's contact-card year and progress form footers. */
  townshipSettings: 'townshipSettings',
  /** `{householdId}_{year}`: contact card and handbook handed over. */
  distributions: 'distributions',
  /** Read by the health check only, to prove Firestore answers; never written. */
  health: 'health',
} as const;

export type CollectionName = (typeof collections)[keyof typeof collections];

/** Firestore's gRPC status for a failed `create()` precondition. */
export const alreadyExistsCode = 6;

export function isAlreadyExists(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === alreadyExistsCode;
}
