/**
 * Honour certificates (社会扶贫荣誉证书): the record and its schema, serial numbers, signing and
 * verification, and the PDF/PNG renderer. Pure of Firebase: the issuing trigger and the
 * verification endpoint supply the key (`certificateSigningKey.value()`), the origin
 * (`publicOrigin.value()`), storage and revocation status.
 */
export { gb2312Level1, rareNameCharacters } from './charsets';
export { defaultFontDir, fontSet, FontsMissingError } from './fonts';
export { crockfordAlphabet, normalizeSerial, serialPattern } from './serial';
export {
  certificateGiftSchema,
  certificateRecordSchema,
  chinaDateOf,
  chineseDate,
  giftText,
  isoDateSchema,
  maskedNameSchema,
  serialFor,
  serialSchema,
  typedSerialSchema,
  yuanInCapitals,
  type CertificateGift,
  type CertificateRecord,
} from './record';
export {
  qrModules,
  renderCertificate,
  verificationUrl,
  type RenderOptions,
  type RenderedCertificate,
} from './render';
export {
  certificateVerdict,
  minKeyBytes,
  revocationReasons,
  revocationSchema,
  signatureSchema,
  signCertificate,
  signRevocation,
  verifyCertificate,
  verifyRevocation,
  type CertificateVerdict,
  type Revocation,
  type RevocationReason,
  type StoredCertificate,
  type StoredRevocation,
} from './signing';
