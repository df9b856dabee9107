/**
 * Printed documents of 建档立卡 identification: the notice for the village board and one
 * household's file for an inspection. Pure of Firebase: the callables load the data and the fonts
 * (`fontSet()` of the certificate renderer) and store or return the bytes.
 */
export { chinaDay, chinaDayTime } from './flow';
export {
  identificationFilePdf,
  identificationFileTitle,
  identificationFileXlsx,
} from './identificationFile';
export { noticePdf, noticeTitle, type NoticePrintOptions } from './notice';
