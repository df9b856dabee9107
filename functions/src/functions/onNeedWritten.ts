import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { publicNeedView } from '../domain/need/publicView';
import { revalidationPatch, validateStoredNeed } from '../domain/need/revalidation';
import { storedNeedSchema } from '../domain/need/stored';
import { rankAtOf, searchTokensOf } from '../domain/discovery';
import { needDeltas } from '../domain/rates';
import { logs } from '../logs';
import { householdDocs, regionDocs, statsDocs } from '../data/households';
import { publicNeedDocs } from '../data/needs';
import { collections, db } from '../services/db';
import { commitOnce } from '../services/events';
import { addVillageDeltas } from '../services/villageCounts';

/**
 * Every write to a need, by any path (a callable, an import, the Firebase console):
 * 1. moves the village's published / matched / fulfilled counts — exactly once: the increments
 *    and a `create()` marker keyed by function name + event id commit in one batch;
 * 2. re-validates the document as it is now and marks an invalid one (status `invalid`, with
 *    `path:code` problems) instead of letting it be published — a fixed point, so a second
 *    delivery finds nothing to write;
 * 3. keeps the donor-facing projection `publicNeeds/{id}` — recomputed from the need, set or
 *    deleted, so a second delivery rewrites the same document — with the search tokens and the
 *    default order's key (longest waiting, villages furthest below the match target first), taken
 *    with the village's counts as they are at this write.
 */
export const onNeedWritten = onDocumentWritten(
  { document: `${collections.needs}/{needId}`, retry: true },
  async (event) => {
    const needId = event.params.needId;
    const deltas = needDeltas(event.data?.before.data(), event.data?.after.data());
    if (deltas.size > 0) {
      const applied = await commitOnce('onNeedWritten', event.id, (batch) =>
        addVillageDeltas(batch, deltas),
      );
      if (!applied) logs.triggerDuplicate('onNeedWritten', event.id);
    }

    // Read raw, not through the needs schema: judging a document however it was written is this
    // trigger's job (validateStoredNeed), so a shape the schema refuses must reach it.
    const ref = db().collection(collections.needs).doc(needId);
    const current = await ref.get();
    const publicRef = publicNeedDocs().doc(needId);
    if (!current.exists) {
      await publicRef.delete();
      return;
    }
    const data: Record<string, unknown> = current.data() ?? {};
    const household = (await householdDocs().doc(String(data.householdId)).get()).data();
    const problems = validateStoredNeed(data, {
      household: household && { villageCode: household.villageCode, status: household.status },
    });
    const patch = revalidationPatch(data, problems);
    if (patch) {
      // Defence against a rule that never settles: a patch that would restore the state this
      // very write replaced is an oscillation; stop and alert rather than loop forever.
      const before = event.data?.before.data();
      if (
        before &&
        patch.status !== undefined &&
        before.status === patch.status &&
        JSON.stringify(before.problems ?? []) === JSON.stringify(patch.problems)
      ) {
        logs.revalidationOscillation(needId, patch.status);
        return;
      }
      logs.needRevalidated(needId, patch.status, patch.problems);
      // The patch's own write brings this function back once more, to find nothing to change.
      await ref.update({ ...patch, updatedAt: FieldValue.serverTimestamp() });
      return;
    }

    const parsed = storedNeedSchema.safeParse(data);
    const village = await regionDocs().doc(String(data.villageCode)).get();
    const view =
      parsed.success && household
        ? publicNeedView(
            { ...parsed.data, id: needId },
            { headName: household.headName },
            { name: village.data()?.name ?? '' },
          )
        : undefined;
    if (!view || !parsed.success) {
      await publicRef.delete();
      return;
    }
    // The publication time reviewNeed stored, never this write's: a gift or a re-validation
    // must not make a need look newly published. A need written by another path without one
    // falls back to its review, its submission, then the document's creation.
    const publishedAt =
      [data.publishedAt, data.reviewedAt, data.submittedAt].find(
        (value): value is Timestamp => value instanceof Timestamp,
      ) ?? (current.createTime as Timestamp);
    const villageStats = (await statsDocs().doc(parsed.data.villageCode).get()).data();
    await publicRef.set({
      view,
      searchTokens: searchTokensOf(view.maskedName, view.villageName),
      rankAt: rankAtOf(publishedAt.toMillis(), {
        publishedNeeds: villageStats?.publishedNeeds ?? 0,
        matchedNeeds: villageStats?.matchedNeeds ?? 0,
      }),
      // Query fields stay server-side: the callables return only `view`.
      provinceCode: parsed.data.provinceCode,
      cityCode: parsed.data.cityCode,
      countyCode: parsed.data.countyCode,
      townshipCode: parsed.data.townshipCode,
      villageCode: parsed.data.villageCode,
      category: parsed.data.category,
      status: parsed.data.status,
      publishedAt,
    });
  },
);
