import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { noticeDocs } from '../../data/identification';
import { noticeWindowMs, type NoticeStage } from '../../domain/identification';
import { regionFieldsOf } from '../../domain/regions';
import { callable } from '../../lib/callable';
import {
  appendStep,
  logMove,
  applicationsOf,
  authorOf,
  noticeEntriesOf,
  roundForMove,
} from '../../services/identification';
import { retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

/**
 * 张榜公示: the village posts its list for 7 days — the first notice after the appraisal, the
 * second after the township's approval. The notice keeps the list as posted (an objection upheld
 * later takes the household off the round's list, never out of what was shown). Its window is
 * set here and cannot be shortened: the next step waits for it to end.
 */
export const postNotice = callable({
  name: 'postNotice',
  roles: ['village_admin'],
  handler: async ({ requestId, roundId, contactPhone }, caller) => {
    const author = { byUid: caller.uid, ...(await authorOf(caller)) };
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('postNotice', caller.uid, requestId, async (batch) => {
          const { snapshot, round, move } = await roundForMove(
            'postNotice',
            caller,
            roundId,
            'post_notice',
          );
          const stage: NoticeStage = move.to === 'first_notice' ? 'first' : 'second';
          const entries = noticeEntriesOf(
            (await applicationsOf(roundId)).filter((doc) => doc.data().status === 'listed'),
          );
          if (entries.length === 0) {
            throw new HttpsError('failed-precondition', '名单上没有农户，无需公示', {
              reason: 'list_empty',
            });
          }
          const earlier = await noticeDocs().where('roundId', '==', roundId).get();
          const n = earlier.docs.filter((doc) => doc.data().stage === stage).length + 1;
          const ref = noticeDocs().doc(`${roundId}_${stage}_${n}`);
          const opensAt = Date.now();
          const closesAt = Timestamp.fromMillis(opensAt + noticeWindowMs);
          batch.create(ref, {
            ...regionFieldsOf(round.villageCode),
            roundId,
            year: round.year,
            kind: round.kind,
            stage,
            opensAt: Timestamp.fromMillis(opensAt),
            closesAt,
            contactPhone,
            entries,
            postedBy: caller.uid,
          });
          batch.update(
            snapshot.ref,
            { stage: move.to, noticeId: ref.id, updatedAt: FieldValue.serverTimestamp() },
            unchanged(snapshot),
          );
          appendStep(batch, {
            roundId,
            villageCode: round.villageCode,
            applicationId: null,
            kind: 'notice_posted',
            author,
            decision: stage,
            detail: { noticeId: ref.id, entries: entries.length },
          });
          return { noticeId: ref.id, stage, closesAt: closesAt.toDate().toISOString() };
        }),
      { message: '本村的识别名单刚有变化，请刷新后重试' },
    );
    logMove('postNotice', replayed, caller.uid, roundId);
    return result;
  },
});
