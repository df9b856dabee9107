import { FieldValue } from 'firebase-admin/firestore';
import { auditLogDocs, type StoredAuditEntry } from '../data/households';

/** What a caller appends; the time is the server's. */
export type AuditEntry = Omit<StoredAuditEntry, 'at'>;

/**
 * Appends to the audit log. Entries are only ever created (never updated or deleted) by the
 * functions; no client can read or write the collection.
 */
export async function appendAudit(entry: AuditEntry): Promise<void> {
  await auditLogDocs()
    .doc()
    .create({ ...entry, at: FieldValue.serverTimestamp() });
}
