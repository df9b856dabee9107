/** The donor pages, one chunk loaded after sign-in (village and office staff never need it). */
export { browsePage } from './browse';
export { publicNeedPage } from './need';
export { minePage } from './mine';
export { profilePage } from './profile';
