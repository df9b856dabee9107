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
// 一户一册一卡 (seed 004): the visit's sheet, the handbook, the contact cards, the progress form.
export { informationSheetPdf, informationSheetTitle } from './informationSheet';
export { handbookPdf, handbookTitle } from './handbook';
export { contactCardsPdf, contactCardTitle, cardColours } from './contactCard';
export { progressFormPdf, type ProgressFormInput } from './progressForm';
