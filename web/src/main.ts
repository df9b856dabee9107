/**
 * The web client: Chinese first, light (no framework), 360 px wide phones first.
 *
 * Test hooks (data-testid): demo-account, phone-input, code-input, phone-send, phone-sign-in,
 * village-name, roster-count, registered-count, registration-rate, household-row, register-button,
 * tab-households, tab-needs, tab-capture, tab-import, need-row, need-status, start-review,
 * review-form, publish-button, reject-button, withdraw-button, capture-form, photo-input,
 * photo-thumb, submit-need, retry-button, public-need, masked-name, import-file, import-report,
 * dashboard-region, dashboard-row, export-report, sign-out.
 */
import { onAuthStateChanged, signInWithEmailAndPassword, signOut, type User } from 'firebase/auth';
import { auth, initFirebase, local, type CallError } from './firebase';
import { h, mount, toast } from './dom';
import { errorText, issueText } from './format';
import { villagePage } from './pages/village';
import { dashboardPage } from './pages/dashboard';
import { donorPage, publicNeedPage } from './pages/donor';
import { phoneSignIn } from './pages/phone';

export interface Session {
  user: User;
  role: string;
  region: string;
}

const roleLabels: Record<string, string> = {
  ops: '运维',
  province_admin: '省级管理员',
  city_admin: '市级管理员',
  county_admin: '县级管理员',
  township_admin: '镇级管理员',
  village_admin: '村级信息管理员',
  helper: '帮扶责任人',
  donor: '爱心人士',
};

let session: Session | undefined;

/** Shows a callable failure in Chinese, with field problems listed. */
export function showError(error: unknown, fieldLabels: Record<string, string> = {}): string {
  const failure = error as CallError;
  const issues = failure.details?.issues ?? [];
  const text =
    issues.length > 0
      ? issues.map((issue) => issueText(issue, fieldLabels)).join('；')
      : errorText(failure);
  toast(text);
  return text;
}

function loginPage(): void {
  const email = h('input', {
    type: 'email',
    placeholder: '账号（邮箱）',
    autocomplete: 'username',
  });
  const password = h('input', {
    type: 'password',
    placeholder: '密码',
    autocomplete: 'current-password',
  });
  const signIn = async (address: string, secret: string) => {
    try {
      await signInWithEmailAndPassword(auth, address, secret);
    } catch {
      toast('账号或密码不对');
    }
  };
  mount(
    h(
      'section',
      { class: 'card' },
      h('h1', {}, '登录'),
      h(
        'p',
        { class: 'muted' },
        '村、乡镇及以上管理员使用账号登录；爱心人士使用手机号和短信验证码登录。',
      ),
      h(
        'form',
        {
          class: 'stack',
          onsubmit: (event: Event) => {
            event.preventDefault();
            void signIn(email.value, password.value);
          },
        },
        email,
        password,
        h('button', { type: 'submit' }, '登录'),
      ),
    ),
    phoneSignIn(),
    local
      ? h(
          'section',
          { class: 'card' },
          h('h2', {}, '演示账号（本地平台）'),
          h(
            'div',
            { class: 'demo-list' },
            local.demoAccounts.map((account) =>
              h(
                'button',
                {
                  class: 'secondary',
                  'data-testid': 'demo-account',
                  'data-email': account.email,
                  onclick: () => void signIn(account.email, account.password),
                },
                account.label,
              ),
            ),
          ),
        )
      : null,
  );
}

function route(): void {
  if (!session) return loginPage();
  const [, page, id] = location.hash.split('/');
  if (page === 'need' && id) return void publicNeedPage(id);
  switch (session.role) {
    case 'village_admin':
    case 'helper':
      return void villagePage(session, page);
    case 'donor':
      return void donorPage(session);
    default:
      return void dashboardPage(session, page === 'region' ? id : undefined);
  }
}

async function main(): Promise<void> {
  await initFirebase();
  onAuthStateChanged(auth, async (user) => {
    const who = document.getElementById('who') as HTMLElement;
    if (!user) {
      session = undefined;
      who.replaceChildren();
      return route();
    }
    const claims = (await user.getIdTokenResult()).claims;
    session = { user, role: String(claims.role ?? 'donor'), region: String(claims.region ?? '') };
    who.replaceChildren(
      h('span', {}, roleLabels[session.role] ?? session.role),
      h(
        'button',
        { class: 'link', 'data-testid': 'sign-out', onclick: () => void signOut(auth) },
        '退出',
      ),
    );
    route();
  });
  window.addEventListener('hashchange', route);
}

void main();
