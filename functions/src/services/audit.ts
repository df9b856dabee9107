import { FieldValue } from 'firebase-admin/firestore';
import { db } from './db';

export const auditCollection = 'auditLog';

export interface AuditEntry {
  uid: string;
  role: string;
  action: 'reveal';
  /** e.g. `households/abc`; never the value revealed. */
  resource: string;
  field: string;
  reason: string;
  outcome: 'granted' | 'denied';
}

/**
 * Appends to the audit log. Entries are only ever created (never updated or deleted) by the
 * functions; no client can read or write the collection.
 */
export async function appendAudit(entry: AuditEntry): Promise<void> {
  await db()
    .collection(auditCollection)
    .doc()
    .create({ ...entry, at: FieldValue.serverTimestamp() });
}
