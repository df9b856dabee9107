/**
 * Re-validation of a stored need however it was written (import, console edit, a bug), and the
 * patch the trigger writes so that a second delivery changes nothing.
 */
import type { NeedHousehold } from './household';
import { resolveGuarantee } from './categories';
import { canTransition, isNeedStatus, publicStatuses, type NeedStatus } from './status';
import { storedNeedSchema } from './stored';

const canonicalTextFields = ['headName', 'address', 'reason', 'adminName'] as const;
const sensitiveKeys = /^(idNumber|idCard|bankAccount|bankNumber|bankCard|cardNumber)$/i;
// A full ID number, or 12+ digits in a row (a bank number), anywhere in a string; not inside a
// longer token such as a UUID (whose last group may be 12 digits).
const sensitiveValue = /(?<![0-9A-Za-z-])(?:\d{17}[\dXx]|\d{12,})(?![0-9A-Za-z-])/;
// Division codes are public and 12 digits long; their format is the schema's concern.
const publicCodeKey = /^(village|township|county|city|province)Code$/;

function findSensitive(value: unknown, path: string[], depth = 0): string[] {
  if (depth > 8) return [];
  if (typeof value === 'string') return sensitiveValue.test(value) ? [path.join('.')] : [];
  if (Array.isArray(value))
    return value.flatMap((v, i) => findSensitive(v, [...path, String(i)], depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => {
      if (sensitiveKeys.test(key)) return [[...path, key].join('.')];
      if (publicCodeKey.test(key)) return [];
      return findSensitive(v, [...path, key], depth + 1);
    });
  }
  return [];
}

export interface StoredNeedContext {
  /** The household the need belongs to, when the trigger has read it. */
  household?: Pick<NeedHousehold, 'villageCode' | 'status'>;
}

/**
 * Every problem of a need document however it was written (import, console edit, a bug), as
 * sorted, unique `path:code` strings; empty when it is valid. Pure: the re-validation trigger
 * decides what to do with them ({@link revalidationPatch}). Checks the schema, that stored text
 * is already canonical (a console edit cannot slip in a bidi control or an uncanonical name), the
 * 两不愁三保障 rule, that a published or rejected need carries the matching review, that the
 * document holds no full ID or bank number, and the household's village and status.
 */
export function validateStoredNeed(doc: unknown, context: StoredNeedContext = {}): string[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return ['document:not_object'];
  const record = doc as Record<string, unknown>;
  const problems = new Set<string>();
  const parsed = storedNeedSchema.safeParse(record);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.') || 'document';
      if (issue.code === 'unrecognized_keys') continue;
      problems.add(
        `${path}:${issue.code === 'custom' ? String(issue.params?.code ?? 'custom') : issue.code}`,
      );
    }
  } else {
    const need = parsed.data;
    for (const field of canonicalTextFields) {
      if (need[field] !== record[field]) problems.add(`${field}:not_canonical`);
    }
    const resolved = resolveGuarantee(need.category, need.guarantee);
    if ('problem' in resolved) problems.add(`guarantee:${resolved.problem}`);
    const reviewed = need.review?.opinion;
    if (publicStatuses.includes(need.status) && reviewed !== 'publish')
      problems.add('review:missing_publish_review');
    if (need.status === 'rejected' && (reviewed !== 'reject' || !need.review?.reasonCodes?.length))
      problems.add('review:missing_reject_reasons');
    if (context.household) {
      if (context.household.villageCode !== need.villageCode)
        problems.add('villageCode:household_mismatch');
      // `invalid` included: otherwise a need taken down for this reason would look valid once
      // marked, return to `submitted`, and be marked again, forever.
      const beforeMatch: readonly NeedStatus[] = [
        'submitted',
        'under_review',
        'published',
        'invalid',
      ];
      if (context.household.status === 'stably_out' && beforeMatch.includes(need.status))
        problems.add('householdId:household_stably_out');
    }
  }
  for (const path of findSensitive(record, [])) problems.add(`${path}:sensitive_value`);
  return [...problems].sort();
}

/**
 * A need holding money received or pledged, or a kept goods pledge: donations rest on its status.
 */
export function isTakenUp(doc: {
  raisedFen?: unknown;
  heldFen?: unknown;
  itemProgress?: unknown;
}): boolean {
  const raised =
    (typeof doc.raisedFen === 'number' && doc.raisedFen > 0) ||
    (typeof doc.heldFen === 'number' && doc.heldFen > 0);
  const pledged =
    Array.isArray(doc.itemProgress) &&
    doc.itemProgress.some((line) => typeof line?.pledged === 'number' && line.pledged > 0);
  return raised || pledged;
}

/**
 * What the re-validation trigger writes given the problems it found, or null when the document
 * already says exactly that. Applying the patch and validating again yields null: that fixed
 * point is what makes a second delivery of the same event change nothing. The trigger should
 * judge the document as it is now (read in its transaction), not the event's copy. One case takes
 * two writes: a document whose only fault was an unknown status is marked `invalid`, which
 * corrects it, and the next pass returns it to `submitted`, to be reviewed again.
 */
export function revalidationPatch(
  doc: { status?: unknown; problems?: unknown; raisedFen?: unknown; itemProgress?: unknown },
  problems: readonly string[],
): { status?: NeedStatus; problems: string[] } | null {
  const stored = Array.isArray(doc.problems) ? (doc.problems as unknown[]) : [];
  const same = stored.length === problems.length && stored.every((p, i) => p === problems[i]);
  const status = doc.status;
  if (problems.length > 0) {
    // An unknown status (a typo in the console) is itself a problem and may be taken down.
    const markable =
      !isNeedStatus(status) || (canTransition(status, 'invalid', 'system') && !isTakenUp(doc));
    if (markable && status !== 'invalid') return { status: 'invalid', problems: [...problems] };
    return same ? null : { problems: [...problems] };
  }
  if (status === 'invalid') return { status: 'submitted', problems: [] };
  return stored.length > 0 ? { problems: [] } : null;
}
