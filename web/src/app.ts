/** What every page shares: who is signed in, and how a failure is told to them. */
import type { User } from 'firebase/auth';
import { roleLabels, type Role } from '../../functions/src/domain/roles';
import type { CallError } from './firebase';
import { toast } from './dom';
import { errorText, issueText } from './format';

export interface Session {
  user: User;
  role: string;
  region: string;
}

/** 村级信息管理员, 爱心人士, …; an unknown role is shown as it is. */
export function roleLabel(role: string): string {
  return roleLabels[role as Role] ?? role;
}

/** Shows a callable failure in Chinese, with field problems listed; returns the text shown. */
export function showError(error: unknown, fieldLabels: Record<string, string> = {}): string {
  const failure = (error ?? {}) as CallError;
  const issues = failure.details?.issues ?? [];
  const text =
    issues.length > 0
      ? issues.map((issue) => issueText(issue, fieldLabels)).join('；')
      : errorText(failure);
  toast(text);
  return text;
}
