/**
 * Stored documents read through their zod schema, as ENGAGE-HF-Firebase's `DatabaseConverter`
 * does: code that reads a need gets a `StoredNeed`, never `doc.get('x') as T`. A document that
 * does not match its schema (written by an older version, or by hand in the console) is logged
 * with its collection, id and the failing paths, and the read fails as an opaque `internal`
 * rather than letting a wrong shape flow on into money or rates.
 */
import {
  Timestamp,
  type DocumentData,
  type FirestoreDataConverter,
  type PartialWithFieldValue,
  type QueryDocumentSnapshot,
  type WithFieldValue,
} from 'firebase-admin/firestore';
import { z } from 'zod';
import { issuesOf } from '../domain/validation/issues';
import { logs } from '../logs';
import { db, type CollectionName } from '../services/db';

export class StoredDocumentInvalid extends Error {
  override readonly name = 'StoredDocumentInvalid';
  constructor(
    readonly collection: string,
    readonly documentId: string,
  ) {
    super(`stored document ${collection}/${documentId} does not match its schema`);
  }
}

export class DocumentConverter<S extends z.ZodType> implements FirestoreDataConverter<z.output<S>> {
  constructor(
    readonly collection: CollectionName,
    readonly schema: S,
  ) {}

  fromFirestore(snapshot: QueryDocumentSnapshot): z.output<S> {
    const parsed = this.schema.safeParse(snapshot.data());
    if (parsed.success) return parsed.data;
    logs.storedDocumentInvalid(
      this.collection,
      snapshot.id,
      issuesOf(parsed.error)
        .slice(0, 10)
        .map((issue) => `${issue.path}:${issue.code}`),
    );
    throw new StoredDocumentInvalid(this.collection, snapshot.id);
  }

  /**
   * Writes go as they are: they carry `FieldValue` sentinels (server timestamps, increments) that
   * no schema of the stored shape admits, and the types of `WithFieldValue<T>` already hold them
   * to the stored shape at compile time.
   */
  toFirestore(
    model: WithFieldValue<z.output<S>> | PartialWithFieldValue<z.output<S>>,
  ): DocumentData {
    return model as DocumentData;
  }
}

/** A collection whose documents are read as `z.output<S>`. */
export function typedCollection<S extends z.ZodType>(name: CollectionName, schema: S) {
  const converter = new DocumentConverter(name, schema);
  return () => db().collection(name).withConverter<z.output<S>>(converter);
}

/** A Firestore timestamp as stored (`serverTimestamp()` reads back as one). */
export const timestampField = z.instanceof(Timestamp);

/**
 * `getAll` of typed references, in one round trip. Firestore rebuilds each snapshot with its
 * reference's converter (document-reader.js), but `Firestore.getAll` is typed without it.
 */
export async function getAllOf<T>(
  refs: Array<FirebaseFirestore.DocumentReference<T>>,
): Promise<Array<FirebaseFirestore.DocumentSnapshot<T>>> {
  if (refs.length === 0) return [];
  const snapshots = await db().getAll(
    ...(refs as unknown as Array<FirebaseFirestore.DocumentReference>),
  );
  return snapshots as unknown as Array<FirebaseFirestore.DocumentSnapshot<T>>;
}
