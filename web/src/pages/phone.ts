import { RecaptchaVerifier, signInWithPhoneNumber, type ConfirmationResult } from 'firebase/auth';
import { auth, local } from '../firebase';
import { h, toast } from '../dom';

/** A mainland mobile number as typed (138 0000 0001, +86…) → E.164, or undefined. */
export function e164(text: string): string | undefined {
  const digits = text.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? `+86${digits}` : undefined;
}

/** Donors sign up and sign in with a mobile number and an SMS code. */
export function phoneSignIn(): HTMLElement {
  const phone = h('input', {
    type: 'tel',
    inputmode: 'numeric',
    placeholder: '手机号',
    autocomplete: 'tel',
    'data-testid': 'phone-input',
    value: local?.demoDonorPhones[0]?.replace('+86', ''),
  });
  const code = h('input', {
    type: 'text',
    inputmode: 'numeric',
    placeholder: '短信验证码',
    maxlength: '6',
    'data-testid': 'code-input',
  });
  const hint = h('p', { class: 'muted' });
  const anchor = h('div', { id: 'recaptcha' });
  let confirmation: ConfirmationResult | undefined;
  const send = async () => {
    const number = e164(phone.value);
    if (!number) return toast('请输入正确的手机号');
    try {
      confirmation = await signInWithPhoneNumber(
        auth,
        number,
        new RecaptchaVerifier(auth, anchor, { size: 'invisible' }),
      );
      toast('验证码已发送');
      if (local) {
        const response = await fetch(
          `${local.authEmulatorUrl}/emulator/v1/projects/${local.projectId}/verificationCodes`,
        );
        const { verificationCodes } = (await response.json()) as {
          verificationCodes: Array<{ phoneNumber: string; code: string }>;
        };
        const latest = verificationCodes.filter((entry) => entry.phoneNumber === number).at(-1);
        if (latest) hint.textContent = `本地演示验证码：${latest.code}`;
      }
    } catch {
      toast('验证码发送失败，请稍后重试');
    }
  };
  const verify = async () => {
    if (!confirmation) return toast('请先获取验证码');
    try {
      await confirmation.confirm(code.value.trim());
    } catch {
      toast('验证码不对');
    }
  };
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '爱心人士 · 手机号登录'),
    h(
      'div',
      { class: 'stack' },
      phone,
      h(
        'button',
        {
          class: 'secondary',
          type: 'button',
          'data-testid': 'phone-send',
          onclick: () => void send(),
        },
        '获取验证码',
      ),
      code,
      h(
        'button',
        { type: 'button', 'data-testid': 'phone-sign-in', onclick: () => void verify() },
        '登录 / 注册',
      ),
      hint,
      anchor,
    ),
  );
}
