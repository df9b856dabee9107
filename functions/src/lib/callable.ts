/**
 * The one wrapper every callable goes through: authentication (the SDK does not reject
 * unauthenticated requests by itself), claims re-checked against the staff record, strict input
 * validation with field paths and codes only, and opaque errors for anything unexpected.
 */
import { HttpsError, onCall, type CallableRequest } from 'firebase-functions/v2/https';
import type { SecretParam } from 'firebase-functions/params';
import type { z } from 'zod';
import { claimsAreConsistent, isStaffRole, type Caller, type Role } from '../domain/roles';
import { issuesOf } from '../domain/validation/issues';
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
  /** Secrets the handler reads (Cloud Functions binds only those declared). */
  secrets?: SecretParam[];
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

function parsedInput<S extends z.ZodType>(
  spec: { name: string; input: S },
  data: unknown,
  uid: string | undefined,
): z.output<S> {
  const parsed = spec.input.safeParse(data);
  if (parsed.success) return parsed.data as z.output<S>;
  const issues = issuesOf(parsed.error);
  logs.callableRejected(
    spec.name,
    'invalid-argument',
    uid,
    issues.map((i) => i.path),
  );
  throw new HttpsError('invalid-argument', '提交的内容有误，请检查标出的项目', { issues });
}

/** Runs a handler: HttpsErrors go to the client as they are, anything else as an opaque internal. */
async function guarded<R>(
  name: string,
  uid: string | undefined,
  run: () => Promise<R>,
): Promise<R> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HttpsError) {
      if (error.code !== 'permission-denied') logs.callableRejected(name, error.code, uid);
      throw error;
    }
    logs.callableFailed(name, uid, error);
    throw new HttpsError('internal', '服务暂时不可用，请稍后重试');
  }
}

export function callable<S extends z.ZodType, R>(spec: CallableSpec<S, R>) {
  return onCall(
    {
      region: functionsRegion,
      memory: spec.memory ?? '256MiB',
      cors: true,
      secrets: spec.secrets ?? [],
    },
    async (request): Promise<R> => {
      const caller = await callerOf(spec.name, request);
      if (!spec.roles.includes(caller.role)) deny(spec.name, caller.uid);
      const input = parsedInput(spec, request.data, caller.uid);
      return guarded(spec.name, caller.uid, () => spec.handler(input, caller, request));
    },
  );
}

export interface PublicCallableSpec<S extends z.ZodType, R> {
  name: string;
  input: S;
  /** Sees no caller: what it answers must be fit for anyone on the internet. */
  handler: (input: z.output<S>) => Promise<R>;
  secrets?: SecretParam[];
}

/**
 * A callable anyone may call without signing in (a certificate's verification page opened from
 * its QR code, the list of regions): the same validation and error discipline, no caller.
 */
export function publicCallable<S extends z.ZodType, R>(spec: PublicCallableSpec<S, R>) {
  return onCall(
    { region: functionsRegion, memory: '256MiB', cors: true, secrets: spec.secrets ?? [] },
    async (request): Promise<R> => {
      const input = parsedInput(spec, request.data, request.auth?.uid);
      return guarded(spec.name, request.auth?.uid, () => spec.handler(input));
    },
  );
}
