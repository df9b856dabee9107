/**
 * The one wrapper every callable goes through: authentication (the SDK does not reject
 * unauthenticated requests by itself), claims re-checked against the staff record, strict input
 * validation with field paths and codes only, and opaque errors for anything unexpected.
 */
import { HttpsError, onCall, type CallableRequest } from 'firebase-functions/v2/https';
import type { z } from 'zod';
import { claimsAreConsistent, isStaffRole, type Caller, type Role } from '../domain/roles';
import { logs } from '../logs';
import { functionsRegion } from '../params';
import { collections, db } from '../services/db';

export interface CallableSpec<S extends z.ZodType, R> {
  name: string;
  input: S;
  /** Roles that may call at all; finer scope checks are the handler's. */
  roles: readonly Role[];
  handler: (input: z.output<S>, caller: Caller, request: CallableRequest) => Promise<R>;
  memory?: '256MiB' | '512MiB' | '1GiB';
}

/** Field paths and issue codes of a zod failure; never the submitted values. */
export function issuesOf(error: z.ZodError): Array<{ path: string; code: string }> {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // An unknown key is reported at its own path, so the client can point at it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), code: issue.code }));
    }
    return [
      {
        path: path.join('.'),
        code: issue.code === 'custom' ? String(issue.params?.code ?? 'custom') : issue.code,
      },
    ];
  });
}

export function deny(fn: string, uid: string | undefined, why = '无权进行此操作'): never {
  logs.callableRejected(fn, 'permission-denied', uid);
  throw new HttpsError('permission-denied', why);
}

async function callerOf(fn: string, request: CallableRequest): Promise<Caller> {
  const auth = request.auth;
  if (!auth) {
    logs.callableRejected(fn, 'unauthenticated', undefined);
    throw new HttpsError('unauthenticated', '请先登录');
  }
  const role = auth.token.role as unknown;
  const region = typeof auth.token.region === 'string' ? auth.token.region : '';
  // Anyone who signs up (by phone) is a donor; staff always carry role claims.
  if (role === 'donor' || role === undefined) return { uid: auth.uid, role: 'donor', region: '' };
  if (!isStaffRole(role) || !claimsAreConsistent(role, region)) deny(fn, auth.uid);
  // A demoted or moved cadre keeps a valid token for up to an hour: the staff record decides.
  const staff = await db().collection(collections.staff).doc(auth.uid).get();
  if (
    !staff.exists ||
    staff.get('active') !== true ||
    staff.get('role') !== role ||
    staff.get('regionCode') !== region
  ) {
    logs.staleClaims(fn, auth.uid);
    deny(fn, auth.uid);
  }
  return { uid: auth.uid, role, region };
}

export function callable<S extends z.ZodType, R>(spec: CallableSpec<S, R>) {
  return onCall(
    { region: functionsRegion, memory: spec.memory ?? '256MiB', cors: true },
    async (request): Promise<R> => {
      const caller = await callerOf(spec.name, request);
      if (!spec.roles.includes(caller.role)) deny(spec.name, caller.uid);
      const parsed = spec.input.safeParse(request.data);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        logs.callableRejected(
          spec.name,
          'invalid-argument',
          caller.uid,
          issues.map((i) => i.path),
        );
        throw new HttpsError('invalid-argument', '提交的内容有误，请检查标出的项目', { issues });
      }
      try {
        return await spec.handler(parsed.data as z.output<S>, caller, request);
      } catch (error) {
        if (error instanceof HttpsError) {
          if (error.code !== 'permission-denied')
            logs.callableRejected(spec.name, error.code, caller.uid);
          throw error;
        }
        logs.callableFailed(spec.name, caller.uid, error);
        throw new HttpsError('internal', '服务暂时不可用，请稍后重试');
      }
    },
  );
}
