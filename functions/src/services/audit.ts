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
  /** Absent when the reason itself was refused (it may hold the very number to protect). */
  reason?: string;
  /**
   * `not_found`: no such household or need (the caller was answered permission-denied all the
   * same); `absent`: in scope, but the value is not held; `refused_reason`: the reason failed the
   * free-text check.
   */
  outcome: 'granted' | 'denied' | 'not_found' | 'absent' | 'refused_reason';
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
