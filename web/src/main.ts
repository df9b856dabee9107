/**
 * The web client: Chinese first, light (no framework), 360 px wide phones first.
 *
 * Test hooks (data-testid), stable for the browser tests:
 * - sign-in: empty-platform, demo-account (data-email), login-email, login-password,
 *   login-submit, demo-phone (data-phone), phone-input, phone-send, code-input, phone-sign-in,
 *   demo-code, sign-out, who-role, who-region
 * - village: village-name, roster-count, registered-count, registration-rate, figures-updating,
 *   household-row (data-id, data-registered), register-button, register-pending, retry-button,
 *   load-more, tab-households, tab-needs, tab-capture, tab-import, home-visit,
 *   visit-household, visit-helper, visit-cadre, visit-submit, need-donations, need-donation,
 *   need-donation-note, recipient-confirmed, donor-confirmed, record-handover, receipt-form,
 *   confirm-receipt, export-visit-progress
 * - households: household-search, household-search-submit, household-filter-registered,
 *   household-filter-status, household-filter-helper, household-matched, households-empty,
 *   household-helper, assign-helper, assign-helper-select, assign-helper-submit,
 *   assign-helper-error, reveal-id, reveal-reason, reveal-submit, revealed-value, reveal-error,
 *   export-donor-registry, export-donor-registry-csv; an office's view of a village:
 *   back-dashboard, spot-check-form, spot-check-year, spot-check-sampled,
 *   spot-check-households, spot-check-submit, spot-check-result
 * - needs: need-row (data-id), need-status, needs-status-filter, needs-more, start-review,
 *   review-form, publish-button, reject-button, withdraw-button, close-need,
 *   close-need-consequence, close-need-confirm, import-file, import-report
 * - capture: capture-form, capture-household-search, capture-household-option (data-id),
 *   capture-household-more, capture-household-chosen, guarantee-select, goods-item, goods-name,
 *   goods-quantity, goods-unit, add-goods-item, remove-goods-item, capture-error, photo-input,
 *   photo-thumb, submit-need
 * - donor nav: nav-browse, nav-mine, nav-profile
 * - browse: region-select (data-level), category-select, search-input, search-submit, need-card
 *   (data-id, data-kind), need-progress (money only, in fen: data-remaining — what a donor may
 *   still pledge —, data-raised — received —, data-held — pledged, awaiting payment),
 *   load-more-needs, donor-phone
 * - need page: public-need, masked-name, need-covered, donate-form, donate-amount, donate-submit,
 *   donate-result (data-status: unconfirmed, sending, pending, pledged, received, declined, held,
 *   refused; data-donation-id), pay-by (data-pay-by: ms), pay-button (data-donation-id), pay-error, pledge-form, pledge-quantity (data-index), delivery-method, courier-select,
 *   tracking-input, pledge-photo, pledge-submit, pledge-expires, retry-button
 * - 我的捐助: my-donation (data-id, data-status), donation-status, donation-next, pay-by
 *   (data-pay-by), pay-button, pay-error, certificate-serial,
 *   certificate-open, certificate-pdf, certificate-preview, shipment-courier, shipment-tracking,
 *   shipment-submit
 * - 我的资料: profile-form, profile-kind, profile-name, profile-unit, profile-save, profile-village,
 *   profile-village-select (data-level), profile-village-name, profile-village-clear,
 *   follow-region (data-code), follow-row (data-code), unfollow, news-need (data-id)
 * - /verify/{serial} (no sign-in): verify-status (data-status: genuine, revoked, tampered,
 *   not_found), verify-serial, verify-donor
 * - offices: nav-dashboard, nav-staff, office-role, dashboard-region, dashboard-row (data-code),
 *   dashboard-village-link, export-report, export-donor-registry, refund-form,
 *   refund-donation-id, refund-reason, refund-submit, refund-consequence, refund-confirm,
 *   refund-cancel, refund-result
 * - 人员: staff-list, staff-filter, staff-row (data-uid, data-role, data-region, data-status),
 *   staff-status, staff-more, staff-remove, staff-remove-confirm, staff-remove-cancel,
 *   appoint-form, appoint-role, appoint-region (data-level), appoint-name, appoint-phone,
 *   appoint-submit, appoint-result, appoint-error
 * - 识别 (village tab): tab-identification, round-list, round-row (data-id, data-stage),
 *   round-stage, round-next, round-open, application-form, app-head-name, app-head-id, member-row,
 *   member-name, member-id, member-relation, member-health, member-education, member-labour,
 *   add-member, remove-member, app-income, app-housing, app-cause, app-situation, app-wubao,
 *   app-applied-on, app-submit, app-result (data-application-id), field-error (data-path),
 *   form-error, adjustment-form, adjust-kind, adjust-search, adjust-household,
 *   adjust-situation, adjust-applied-on, adjust-submit
 * - a round (#/round/{roundId}): round-view (data-id, data-stage), return-reasons,
 *   application-row (data-id, data-status), application-name, application-status,
 *   survey-details, survey-form, survey-date, survey-agrees-{aspect}, survey-note-{aspect},
 *   survey-eligible, survey-photo, survey-thumb, survey-submit, withdraw-open, withdraw-form, withdraw-reasons,
 *   withdraw-submit, export-file-xlsx, export-file-pdf, appraisal-form, appraisal-date,
 *   appraisal-body, appraisal-present, appraisal-row (data-id), appraisal-for,
 *   appraisal-against, appraisal-rank, appraisal-submit, notice-form, notice-phone,
 *   notice-submit, notice-row (data-id, data-stage), notice-link, notice-pdf, objection-row
 *   (data-id, data-status), objection-answer, objection-reasons, objection-uphold,
 *   objection-dismiss, decision-card, submit-hint, submit-list, review-reasons,
 *   review-approve, review-return, step-list, step-row (data-kind)
 * - offices' dashboard: identification-section, office-rounds, quota-list, quota-row
 *   (data-code), quota-input (data-code), quota-save, quota-note
 * - /notice/{noticeId} (no sign-in): public-notice (data-open), notice-title, notice-window,
 *   notice-closed, notice-list, notice-entry (data-id), notice-phone-number, notice-not-found,
 *   objection-form, objection-household, objection-text, objection-phone (the phone sign-in's
 *   hooks inside), objection-verified, objection-submit, objection-receipt,
 *   objection-receipt-number
 * - 一户一册 (households row): open-file, open-sheet-visit, sheet-kept; the file (#/file/{id}):
 *   household-file (data-revision), file-head-name, file-card (data-colour), file-card-year,
 *   open-sheet, export-information-sheet, export-handbook, export-contact-card, file-basics,
 *   file-member, file-income-{source}, file-per-capita, file-causes, file-helper, file-plan,
 *   file-measures, file-measure (data-source), file-results, file-distribution,
 *   distribution-card, distribution-handbook, distribution-submit, distribution-result,
 *   file-differences, file-difference (data-field), file-changes, file-change (data-field),
 *   file-visits, file-visit (data-id), file-back, handbook-form, handbook-plan,
 *   handbook-measure, handbook-measure-date, handbook-measure-kind,
 *   handbook-measure-description, handbook-measure-amount, handbook-measure-add,
 *   handbook-results, handbook-error, handbook-save
 * - 入户核实 (#/visit/{id}): sheet-form (data-revision), sheet-status (data-state: sending, kept,
 *   sent), sheet-open-file, sheet-back, sheet-head, sheet-date, sheet-member (data-index),
 *   sheet-member-name, sheet-member-id (new members only), sheet-member-relation,
 *   sheet-member-health, sheet-member-education, sheet-member-labour, sheet-member-remove,
 *   sheet-member-add, sheet-living-{check}, sheet-income-{source}, sheet-cause (data-cause),
 *   sheet-confirmation (data-party), sheet-confirm-{party}, signature-{party},
 *   signature-{party}-clear, sheet-photo-{party}, sheet-photo-note-{party}, sheet-error,
 *   sheet-submit
 * - 三统一 (tab-unification; #/village/{code}/unification for offices): unification-year,
 *   unification-report (aria-busy), unification-differing, unification-not-visited,
 *   unification-unconfirmed, unification-pending, unification-row (data-id),
 *   unification-unvisited, unification-unsigned, unification-difference (data-field),
 *   pending-change (data-id), pending-change-check (data-id), mark-entered,
 *   export-unification-xlsx, export-unification-csv, unification-clear, unification-denied
 * - township dashboard: township-file-tools, card-year-form, card-year, card-year-save,
 *   progress-form, progress-year, progress-filled-on, progress-reviewer, progress-filler,
 *   progress-contact, progress-summary, progress-save, export-progress-xlsx,
 *   export-progress-pdf, contact-cards-village, export-contact-cards
 * - everywhere: page-error
 */
import { onAuthStateChanged, signInWithEmailAndPassword, signOut, type User } from 'firebase/auth';
import { auth, initFirebase, local } from './firebase';
import { errorCard, h, mount, toast } from './dom';
import { authErrorText } from './format';
import { roleLabel, showError, type Session } from './app';
import { appointableRoles, type Role } from '../../functions/src/domain/roles';
import { destination, noticeIdOfPath, roleOfClaims, verifySerialOfPath } from './router';
import { beginNavigation, navigationCheck } from './navigation';
import { villagePage } from './pages/village';
import { dashboardPage } from './pages/dashboard';
import { staffPage } from './pages/staff';
import { phoneSignIn } from './pages/phone';

let session: Session | undefined;

async function signInWithPassword(email: string, password: string): Promise<void> {
  try {
    await signInWithEmailAndPassword(auth, email.trim(), password);
  } catch (error) {
    toast(authErrorText((error as { code?: string }).code));
  }
}

/** The demo staff's email and password form: the seeded demo township's accounts only. */
function demoStaffForm(): HTMLElement {
  const email = h('input', {
    type: 'email',
    placeholder: '演示账号（邮箱）',
    autocomplete: 'username',
    'aria-label': '演示账号',
    'data-testid': 'login-email',
  });
  const password = h('input', {
    type: 'password',
    placeholder: '密码',
    autocomplete: 'current-password',
    'aria-label': '密码',
    'data-testid': 'login-password',
  });
  return h(
    'form',
    {
      class: 'stack',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void signInWithPassword(email.value, password.value);
      },
    },
    email,
    password,
    h('button', { type: 'submit', 'data-testid': 'login-submit' }, '用演示账号登录'),
  );
}

/**
 * On the local platform: the demo township's accounts in one click, or, started with `--empty`,
 * how the first account of a deployment is made. Production shows neither.
 */
function localAccounts(): HTMLElement | null {
  if (!local) return null;
  if (local.demoAccounts.length === 0) {
    return h(
      'section',
      { class: 'card', 'data-testid': 'empty-platform' },
      h('h2', {}, '本地平台（无演示乡镇）'),
      h(
        'p',
        { class: 'muted' },
        '首个账号由运维在命令行创建：npm run admin:first -- --local --role … --region … --phone … --name …（见 README“正式部署如何开始”）。创建后用该手机号在上方登录，再逐级任命。',
      ),
    );
  }
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '演示账号（本地平台）'),
    h(
      'p',
      { class: 'muted' },
      '点一下即以该身份登录。正式部署中工作人员用手机号和短信验证码登录。',
    ),
    h(
      'div',
      { class: 'demo-list' },
      local.demoAccounts.map((account) =>
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-testid': 'demo-account',
            'data-email': account.email,
            'data-role': account.role,
            onclick: () => void signInWithPassword(account.email, account.password),
          },
          account.label,
        ),
      ),
    ),
    demoStaffForm(),
  );
}

function loginPage(): void {
  // Everyone signs in by phone: donors register on first use, staff with the number their
  // appointment recorded.
  mount(h('h1', { class: 'page-title' }, '登录'), phoneSignIn(), localAccounts());
}

/** A role this client has no page for (claims set by hand, or a role added later). */
function unknownRolePage(role: string): void {
  mount(
    h(
      'section',
      { class: 'card', 'data-testid': 'office-role' },
      h('h1', {}, roleLabel(role)),
      h('p', {}, '此账号的角色在本网页版中没有对应的页面，请联系上级管理员。'),
    ),
  );
}

function connectionError(retry: () => void): void {
  mount(errorCard('暂时无法连接服务，请检查网络后重试。', retry));
}

/** The donor pages and the certificate check come in their own chunks, loaded when needed. */
const donorPages = () => import('./pages/donor');

function donorRoute(use: (pages: Awaited<ReturnType<typeof donorPages>>) => void): void {
  // The chunk may come after the user moved on: then the page it was loaded for is not shown.
  const stillCurrent = navigationCheck();
  donorPages().then(
    (pages) => stillCurrent() && use(pages),
    () => stillCurrent() && connectionError(route),
  );
}

function route(): void {
  // Pages take their mount from this navigation: a slower answer for an earlier one is dropped.
  beginNavigation();
  const target = destination(location.hash, session?.role);
  if (!session || target.page === 'login') return loginPage();
  switch (target.page) {
    case 'publicNeed': {
      const current = session;
      return donorRoute((pages) => void pages.publicNeedPage(target.needId, current));
    }
    case 'village':
      return void villagePage(session, target.tab, target.villageCode);
    case 'round': {
      const current = session;
      const show = () =>
        import('./pages/identification/round')
          .then(
            (pages) => pages.roundPage(current, target.roundId),
            () => connectionError(route),
          )
          .catch((error: unknown) => mount(errorCard(showError(error), route)));
      return void show();
    }
    case 'householdFile':
    case 'sheetVisit': {
      const current = session;
      // 一户一册 in its own chunk: the file, the sheet visit and its kept-offline sender.
      const show = () =>
        import('./pages/householdFile')
          .then(
            (pages) =>
              target.page === 'sheetVisit'
                ? pages.sheetVisitPage(target.householdId)
                : pages.householdFilePage(current, target.householdId),
            () => connectionError(route),
          )
          .catch((error: unknown) => mount(errorCard(showError(error), route)));
      return void show();
    }
    case 'staff':
      return void staffPage(session);
    case 'dashboard':
      return void dashboardPage(session, target.regionCode);
    case 'donor': {
      const current = session;
      return donorRoute((pages) => {
        if (target.tab === 'mine') return void pages.minePage(current);
        if (target.tab === 'profile') return void pages.profilePage(current);
        return void pages.browsePage(current);
      });
    }
    case 'unknownRole':
      return unknownRolePage(target.role);
  }
}

function showWho(current: Session | undefined): void {
  const who = document.getElementById('who') as HTMLElement;
  if (!current) return who.replaceChildren();
  // Offices that appoint the level below reach their staff page from every page.
  const officeNav = appointableRoles[current.role as Role]
    ? [
        h('a', { href: '#/', 'data-testid': 'nav-dashboard' }, '进度'),
        h('a', { href: '#/staff', 'data-testid': 'nav-staff' }, '人员'),
      ]
    : [];
  who.replaceChildren(
    ...officeNav,
    h('span', { 'data-testid': 'who-role' }, roleLabel(current.role)),
    current.region
      ? h('span', { class: 'region', 'data-testid': 'who-region' }, current.region)
      : '',
    h(
      'button',
      { class: 'link', 'data-testid': 'sign-out', onclick: () => void signOut(auth) },
      '退出',
    ),
  );
}

function hasKeptSheetVisit(): boolean {
  try {
    return Object.keys(localStorage).some((key) => key.startsWith('fupin.pending.sheetVisit.'));
  } catch {
    return false;
  }
}

async function sessionOf(user: User): Promise<Session> {
  // The role decides the page only; every callable checks the claims again on the server.
  const { claims } = await user.getIdTokenResult();
  return {
    user,
    role: roleOfClaims(claims),
    region: typeof claims.region === 'string' ? claims.region : '',
  };
}

async function main(): Promise<void> {
  // The public certificate check (the QR code's path) needs no sign-in: it is routed by path,
  // before (and without) waiting for the auth state.
  const serial = verifySerialOfPath(location.pathname);
  if (serial) mount(h('p', { class: 'muted' }, '查验中…'));
  // The public notice page (公示) too: anyone may read it and object without an account.
  const noticeId = noticeIdOfPath(location.pathname);
  try {
    await initFirebase();
  } catch {
    mount(errorCard('暂时无法连接服务，请检查网络后刷新页面。', () => location.reload(), '刷新'));
    return;
  }
  if (serial !== undefined) {
    const show = () =>
      import('./pages/verify').then(
        (verify) => verify.verifyPage(serial),
        () => connectionError(show),
      );
    return void show();
  }
  if (noticeId !== undefined) {
    const show = () =>
      import('./pages/notice').then(
        (notice) => notice.noticePage(noticeId),
        () => connectionError(show),
      );
    return void show();
  }
  onAuthStateChanged(auth, async (user) => {
    if (!user) {
      session = undefined;
    } else {
      try {
        session = await sessionOf(user);
      } catch {
        // Offline right after sign-in: the cached token's claims are not readable yet.
        session = undefined;
        toast('网络不稳定，请稍后重试');
      }
    }
    showWho(session);
    route();
    // A home visit kept on this phone (submitted without a network) is sent from any page.
    if (session && hasKeptSheetVisit()) {
      void import('./pages/householdFile').then(
        (pages) => pages.startKeptVisitSender(),
        () => undefined,
      );
    }
  });
  window.addEventListener('hashchange', route);
}

void main();
