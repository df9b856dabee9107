import { HttpsError } from 'firebase-functions/v2/https';
import type { IdentificationFile, PublicNotice } from '../../contract/identification';
import {
  applicationDocs,
  noticeDocs,
  objectionDocs,
  roundDocs,
  type StoredNotice,
} from '../../data/identification';
import { fontSet } from '../../domain/certificate/fonts';
import { maskName } from '../../domain/need/names';
import { identificationFilePdf, identificationFileXlsx, noticePdf } from '../../domain/printables';
import { staffRoles } from '../../domain/roles';
import { chinaDateOf } from '../../domain/validation/idNumber';
import { callable, deny, publicCallable } from '../../lib/callable';
import { publicOrigin } from '../../params';
import {
  applicationRowOf,
  canSeeVillage,
  isoOf,
  noticeRowOf,
  objectionRowOf,
  placeNameOf,
  roundSummaryOf,
  stepRowOf,
  stepsOf,
  villageQuota,
  windowOver,
} from '../../services/identification';

/** The notice's public page, printed on the board for objections online. */
export function noticeUrl(noticeId: string): string {
  return `${publicOrigin.value().replace(/\/$/, '')}/notice/${noticeId}`;
}

async function publicNoticeOf(
  id: string,
  notice: StoredNotice,
  names: 'full' | 'masked',
): Promise<PublicNotice> {
  const [place, round] = await Promise.all([
    placeNameOf(notice.villageCode),
    roundDocs().doc(notice.roundId).get(),
  ]);
  const stage = round.data()?.stage;
  const waiting = notice.stage === 'first' ? 'first_notice' : 'second_notice';
  return {
    id,
    stage: notice.stage,
    kind: notice.kind,
    year: notice.year,
    villageName: place.village,
    placeName: place.place,
    opensAt: isoOf(notice.opensAt),
    closesAt: notice.closesAt ? isoOf(notice.closesAt) : null,
    open:
      notice.stage !== 'announcement' &&
      !windowOver(notice) &&
      round.data()?.noticeId === id &&
      stage === waiting,
    contactPhone: notice.contactPhone,
    entries: notice.entries.map((entry) => ({
      applicationId: entry.applicationId,
      name: names === 'full' ? entry.name : maskName(entry.name),
      kind: entry.kind,
      members: entry.members,
      cause: entry.cause,
    })),
  };
}

/**
 * A notice as anyone may read it, signed in or not (the page the board's link opens): names
 * masked, since the web is read far beyond the village; never an ID number, a bank account or a
 * health detail (none is stored on a notice).
 */
export const getPublicNotice = publicCallable({
  name: 'getPublicNotice',
  handler: async ({ noticeId }) => {
    const notice = (await noticeDocs().doc(noticeId).get()).data();
    if (!notice) throw new HttpsError('not-found', '没有找到这份公示，请核对链接');
    return publicNoticeOf(noticeId, notice, 'masked');
  },
});

/**
 * The notice for the village board, as an A4 PDF: households named in full, as 张榜公示 requires
 * for villagers to recognise whom they may object to. Staff of the village's region only.
 */
export const exportNoticePdf = callable({
  name: 'exportNoticePdf',
  roles: staffRoles,
  handler: async ({ noticeId }, caller) => {
    const notice = (await noticeDocs().doc(noticeId).get()).data();
    if (!notice || !canSeeVillage(caller, notice.villageCode)) deny('exportNoticePdf', caller.uid);
    const pdf = noticePdf(await publicNoticeOf(noticeId, notice, 'full'), await fontSet(), {
      publicUrl: noticeUrl(noticeId),
    });
    return {
      filename: `${noticeId}.pdf`,
      contentType: 'application/pdf',
      dataBase64: pdf.toString('base64'),
    };
  },
});

/**
 * One household's identification record for an inspection (XLSX or PDF): its application, survey,
 * appraisal, the notices it was on, objections about it and every step, as recorded.
 */
export const exportIdentificationFile = callable({
  name: 'exportIdentificationFile',
  roles: staffRoles,
  handler: async ({ applicationId, format }, caller) => {
    const application = (await applicationDocs().doc(applicationId).get()).data();
    if (!application || !canSeeVillage(caller, application.villageCode)) {
      deny('exportIdentificationFile', caller.uid);
    }
    const round = (await roundDocs().doc(application.roundId).get()).data();
    if (!round) throw new HttpsError('not-found', '没有找到该申请所在的识别名单');
    const [place, notices, objections, steps, quota] = await Promise.all([
      placeNameOf(application.villageCode),
      noticeDocs().where('roundId', '==', application.roundId).get(),
      objectionDocs().where('applicationId', '==', applicationId).get(),
      stepsOf(application.roundId),
      villageQuota(application.villageCode, application.year),
    ]);
    const file: IdentificationFile = {
      placeName: place.place,
      round: roundSummaryOf(
        caller,
        application.roundId,
        round,
        { applications: 0, listed: 0, openObjections: 0, quota: quota.quota?.quota ?? null },
        place.village,
      ),
      application: applicationRowOf(applicationId, application),
      notices: notices.docs
        .filter((doc) => doc.data().entries.some((entry) => entry.applicationId === applicationId))
        .map((doc) => noticeRowOf(doc.id, doc.data())),
      objections: objections.docs.map((doc) =>
        objectionRowOf(doc.id, doc.data(), application.headName),
      ),
      steps: steps
        .filter((step) => step.applicationId === applicationId || step.applicationId === null)
        .map(stepRowOf),
      exportedAt: new Date().toISOString(),
    };
    const name = `识别档案_${application.headName}_${chinaDateOf()}`;
    if (format === 'pdf') {
      const pdf = identificationFilePdf(file, await fontSet());
      return {
        filename: `${name}.pdf`,
        contentType: 'application/pdf',
        dataBase64: pdf.toString('base64'),
      };
    }
    const xlsx = await identificationFileXlsx(file);
    return {
      filename: `${name}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      dataBase64: xlsx.toString('base64'),
    };
  },
});
