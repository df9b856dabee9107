/**
 * Everyone signs in with a mobile number and an SMS code: donors sign up on first use, staff use
 * the number their appointment recorded (their role comes from the account's claims). On the local platform the Auth
 * emulator sends no SMS: the code it would have sent is read back and shown as 本地演示验证码.
 */
import { RecaptchaVerifier, signInWithPhoneNumber, type ConfirmationResult } from 'firebase/auth';
import { auth, local } from '../firebase';
import { h, toast } from '../dom';
import { authErrorText, e164, phoneDisplay } from '../format';

/** Seconds before another code may be requested (the SMS quota is per number). */
const resendAfterSeconds = 60;

/** The latest code the Auth emulator "sent" to `number`, or undefined. */
async function emulatorCode(number: string): Promise<string | undefined> {
  if (!local) return undefined;
  const response = await fetch(
    `${local.authEmulatorUrl}/emulator/v1/projects/${local.projectId}/verificationCodes`,
  );
  if (!response.ok) return undefined;
  const { verificationCodes = [] } = (await response.json()) as {
    verificationCodes?: Array<{ phoneNumber: string; code: string }>;
  };
  return verificationCodes.filter((entry) => entry.phoneNumber === number).at(-1)?.code;
}

export function phoneSignIn(): HTMLElement {
  const phone = h('input', {
    type: 'tel',
    inputmode: 'numeric',
    placeholder: '手机号',
    autocomplete: 'tel',
    'aria-label': '手机号',
    'data-testid': 'phone-input',
  });
  const code = h('input', {
    type: 'text',
    inputmode: 'numeric',
    placeholder: '短信验证码',
    maxlength: '6',
    autocomplete: 'one-time-code',
    'aria-label': '短信验证码',
    'data-testid': 'code-input',
  });
  const hint = h(
    'p',
    { class: 'muted', 'data-testid': 'demo-code' },
    local ? '本地平台不发送真实短信：获取验证码后，本地演示验证码显示在这里。' : '',
  );
  const anchor = h('div');
  const sendButton = h(
    'button',
    { class: 'secondary', type: 'button', 'data-testid': 'phone-send' },
    '获取验证码',
  );
  const signInButton = h(
    'button',
    { type: 'button', 'data-testid': 'phone-sign-in' },
    '登录 / 注册',
  );
  let confirmation: ConfirmationResult | undefined;
  // One invisible verifier per form: rendering a second one into the same element fails.
  let verifier: RecaptchaVerifier | undefined;

  const countDown = () => {
    let left = resendAfterSeconds;
    sendButton.disabled = true;
    const tick = () => {
      if (!sendButton.isConnected || left <= 0) {
        sendButton.disabled = false;
        sendButton.textContent = '重新获取验证码';
        return;
      }
      sendButton.textContent = `重新获取（${left--} 秒）`;
      window.setTimeout(tick, 1000);
    };
    tick();
  };

  const send = async () => {
    const number = e164(phone.value);
    if (!number) return void toast('请输入正确的手机号');
    sendButton.disabled = true;
    try {
      verifier ??= new RecaptchaVerifier(auth, anchor, { size: 'invisible' });
      confirmation = await signInWithPhoneNumber(auth, number, verifier);
      toast(`验证码已发送至 ${phoneDisplay(number)}`);
      countDown();
      code.focus();
      const demo = await emulatorCode(number).catch(() => undefined);
      if (demo) hint.textContent = `本地演示验证码：${demo}`;
    } catch (error) {
      sendButton.disabled = false;
      verifier?.clear();
      verifier = undefined;
      toast(authErrorText((error as { code?: string }).code, '验证码发送失败，请稍后重试'));
    }
  };

  const verify = async () => {
    if (!confirmation) return void toast('请先获取验证码');
    if (!/^\d{6}$/.test(code.value.trim())) return void toast('请输入6位验证码');
    signInButton.disabled = true;
    try {
      await confirmation.confirm(code.value.trim());
    } catch (error) {
      toast(authErrorText((error as { code?: string }).code, '验证码不对'));
    } finally {
      signInButton.disabled = false;
    }
  };

  sendButton.addEventListener('click', () => void send());
  signInButton.addEventListener('click', () => void verify());

  const demoPhones = local?.demoDonorPhones ?? [];
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '手机号登录'),
    h(
      'p',
      { class: 'muted' },
      '爱心人士：第一次使用的手机号将自动注册。工作人员：用上级任命时登记的手机号登录。',
    ),
    demoPhones.length
      ? h(
          'div',
          { class: 'chips' },
          h('span', { class: 'muted' }, '演示手机号：'),
          demoPhones.map((number) =>
            h(
              'button',
              {
                type: 'button',
                class: 'chip',
                'data-testid': 'demo-phone',
                'data-phone': number,
                onclick: () => {
                  phone.value = phoneDisplay(number);
                },
              },
              phoneDisplay(number),
            ),
          ),
        )
      : null,
    h('div', { class: 'stack' }, phone, sendButton, code, signInButton, hint, anchor),
  );
}
