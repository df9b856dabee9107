/**
 * Registration only: initialise the Admin SDK and export every function. Each function lives in
 * its own file under functions/, named like its export.
 */
import './globalOptions';
import { initializeApp } from 'firebase-admin/app';

initializeApp();

export { health } from './functions/health';
export { registerHousehold } from './functions/registerHousehold';
export { getVillageOverview } from './functions/getVillageOverview';
export { appointStaff } from './functions/appointStaff';
export { removeStaff } from './functions/removeStaff';
export { assignHelper } from './functions/assignHelper';
export { listVillageHelpers } from './functions/listVillageHelpers';
export { listStaff } from './functions/listStaff';
export { revealSensitive } from './functions/revealSensitive';
export { importRoster } from './functions/importRoster';
export { submitNeed } from './functions/submitNeed';
export { startNeedReview } from './functions/startNeedReview';
export { reviewNeed } from './functions/reviewNeed';
export { withdrawNeed } from './functions/withdrawNeed';
export { closeNeed } from './functions/closeNeed';
export { confirmReceipt } from './functions/confirmReceipt';
export { listNeeds } from './functions/listNeeds';
export { getPublicNeed } from './functions/getPublicNeed';
export { listPublicNeeds } from './functions/listPublicNeeds';
export { exportLedger } from './functions/exportLedger';
export { onNeedWritten } from './functions/onNeedWritten';
export { uploadEvidencePhoto } from './functions/uploadEvidencePhoto';
export { getEvidencePhotoUrls } from './functions/getEvidencePhotoUrls';
export { onEvidenceUploaded } from './functions/onEvidenceUploaded';
export { donate } from './functions/donate';
export { listMyDonations } from './functions/listMyDonations';
export { onDonationWritten } from './functions/onDonationWritten';
export { startPayment } from './functions/startPayment';
export { getTransferAccount } from './functions/getTransferAccount';
export { recordTransferArrival } from './functions/recordTransferArrival';
export { alipayNotify } from './functions/alipayNotify';
export { lapsePledges } from './functions/lapsePledges';
export { reconcilePayments } from './functions/reconcilePayments';
export { onHouseholdWritten } from './functions/onHouseholdWritten';
export { rollupRates } from './functions/rollupRates';
export { repairRates } from './functions/repairRates';
export { repairRatesNightly } from './functions/repairRatesNightly';
export { snapshotRates } from './functions/snapshotRates';
export { getRatesDashboard } from './functions/getRatesDashboard';
export { exportRatesReport } from './functions/exportRatesReport';
export { saveDonorProfile } from './functions/saveDonorProfile';
export { getDonorProfile } from './functions/getDonorProfile';
export { setFollow } from './functions/setFollow';
export { listRegions } from './functions/listRegions';
export { exportDonorRegistry } from './functions/exportDonorRegistry';
export { issueCertificate } from './functions/issueCertificate';
export { verifyCertificate } from './functions/verifyCertificate';
export { getCertificateFiles } from './functions/getCertificateFiles';
export { refundDonation } from './functions/refundDonation';
export { listCouriers } from './functions/listCouriers';
export { pledgeGoods } from './functions/pledgeGoods';
export { recordShipment } from './functions/recordShipment';
export { recordHandover } from './functions/recordHandover';
export { confirmHandover } from './functions/confirmHandover';
export { getGoodsContact } from './functions/getGoodsContact';
export { setVillageReceiving } from './functions/setVillageReceiving';
export { getVillageReceiving } from './functions/getVillageReceiving';
export { getGoodsAvailability } from './functions/getGoodsAvailability';
export { attachGoodsPhoto } from './functions/attachGoodsPhoto';
export { expireGoodsPledges } from './functions/expireGoodsPledges';
export { listNeedDonations } from './functions/listNeedDonations';
export { recordHomeVisit } from './functions/recordHomeVisit';
export { setSpotCheck } from './functions/setSpotCheck';
export { exportVisitProgress } from './functions/exportVisitProgress';
export { getReconciliation } from './functions/getReconciliation';
export { exportReconciliation } from './functions/exportReconciliation';
// 建档立卡 identification: application → survey → appraisal → two notices → township → county → 公告.
export { setIdentificationQuota } from './functions/identification/setIdentificationQuota';
export { fileApplication } from './functions/identification/fileApplication';
export { recordSurvey } from './functions/identification/recordSurvey';
export { recordAppraisal } from './functions/identification/recordAppraisal';
export { postNotice } from './functions/identification/postNotice';
export { fileObjection } from './functions/identification/fileObjection';
export { answerObjection } from './functions/identification/answerObjection';
export { submitList } from './functions/identification/submitList';
export { reviewList } from './functions/identification/reviewList';
export { withdrawApplication } from './functions/identification/withdrawApplication';
export {
  listIdentificationRounds,
  getIdentificationRound,
} from './functions/identification/readRounds';
export {
  getPublicNotice,
  exportNoticePdf,
  exportIdentificationFile,
} from './functions/identification/notices';
// 一户一册一卡: the household's file, the sheet's visits, 三统一, cards, handbook, progress form.
export {
  getHouseholdFile,
  saveHandbook,
  setCardYear,
  recordDistribution,
} from './functions/householdFile/householdFile';
export { recordSheetVisit } from './functions/householdFile/recordSheetVisit';
export {
  getUnificationReport,
  exportUnificationReport,
  markCorrectionsEntered,
} from './functions/householdFile/unification';
export {
  exportInformationSheet,
  exportHandbook,
  exportContactCards,
  saveProgressReport,
} from './functions/householdFile/printables';
