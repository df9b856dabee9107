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
export { appointStaff, removeStaff } from './functions/appointStaff';
export { revealSensitive } from './functions/revealSensitive';
export { importRoster } from './functions/importRoster';
export { submitNeed } from './functions/submitNeed';
export { startNeedReview, reviewNeed, withdrawNeed, confirmReceipt } from './functions/reviewNeed';
export { listNeeds } from './functions/listNeeds';
export { getPublicNeed } from './functions/getPublicNeed';
export { listPublicNeeds } from './functions/listPublicNeeds';
export { exportLedger } from './functions/exportLedger';
export { onNeedWritten } from './functions/onNeedWritten';
export { uploadEvidencePhoto } from './functions/uploadEvidencePhoto';
export { getEvidencePhotoUrls } from './functions/getEvidencePhotoUrls';
export { onEvidenceUploaded } from './functions/onEvidenceUploaded';
export { donate, listMyDonations } from './functions/donate';
export { onDonationWritten } from './functions/onDonationWritten';
export { onHouseholdWritten } from './functions/onHouseholdWritten';
export { rollupRates } from './functions/rollupRates';
export { repairRates, repairRatesNightly } from './functions/repairRates';
export { snapshotRates } from './functions/snapshotRates';
export { getRatesDashboard } from './functions/getRatesDashboard';
export { exportRatesReport } from './functions/exportRatesReport';
export { saveDonorProfile, getDonorProfile, setFollow } from './functions/donorProfile';
export { listRegions } from './functions/listRegions';
export { exportDonorRegistry } from './functions/exportDonorRegistry';
export { issueCertificate } from './functions/issueCertificate';
export { verifyCertificate, getCertificateFiles, refundDonation } from './functions/certificates';
export {
  listCouriers,
  pledgeGoods,
  recordShipment,
  recordHandover,
  confirmHandover,
  getGoodsContact,
  setVillageReceiving,
  getVillageReceiving,
  getGoodsAvailability,
  attachGoodsPhoto,
  expireGoodsPledges,
} from './functions/goods';
export { listNeedDonations } from './functions/listNeedDonations';
export { recordHomeVisit, setSpotCheck, exportVisitProgress } from './functions/homeVisits';
