/**
 * The one wrapper every callable goes through: authentication (the SDK does not reject
 * unauthenticated requests by itself), claims re-checked against the staff record, strict input
 * validation with field paths and codes only, and opaque errors for anything unexpected.
 */
import {
  HttpsError,
  onCall,
  type CallableRequest,
  type HttpsFunction,
} from 'firebase-functions/v2/https';
import type { SecretParam } from 'firebase-functions/params';
import type { z } from 'zod';
import { claimsAreConsistent, isStaffRole, type Caller, type Role } from '../domain/roles';
import { issuesOf } from '../domain/validation/issues';
import { logs } from '../logs';
import {
  callableInputSchemas,
  type CallableAnswer,
  type CallableName,
  type CallableParsedInput,
} from '../contract';
import { staffDocs } from '../data/households';

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
  const staff = (await staffDocs().doc(auth.uid).get()).data();
  if (!staff || !staff.active || staff.role !== role || staff.regionCode !== region) {
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
  // A 100,000-element array can fail 100,000 times: the client needs the first few to act on.
  const issues = issuesOf(parsed.error).slice(0, maxIssues);
  logs.callableRejected(spec.name, 'invalid-argument', uid, issues.slice(0, 20).map(loggedPath));
  throw new HttpsError('invalid-argument', '提交的内容有误，请检查标出的项目', { issues });
}

const maxIssues = 50;

/**
 * A path as it may be logged: an unknown key is the caller's text (it could be an ID number), so
 * it is logged as `?`, and so is any segment that is not a field name or an index.
 */
function loggedPath(issue: { path: string; code: string }): string {
  const segments = issue.path === '' ? [] : issue.path.split('.');
  if (issue.code === 'unrecognized_keys') segments[segments.length - 1] = '?';
  return segments
    .map((segment) => (/^([A-Za-z][A-Za-z0-9_]{0,39}|\d{1,5}|\?)$/.test(segment) ? segment : '?'))
    .join('.');
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

/** Deeper than any form the web client sends; far below where the SDK's recursive decode overflows. */
export const maxRequestDepth = 64;

export type RawRequestProblem =
  | 'request_method'
  | 'request_content_type'
  | 'request_shape'
  | 'request_type_key'
  | 'request_reserved_key'
  | 'request_too_deep'
  | 'request_lone_surrogate';

/**
 * What is wrong with a callable's raw HTTP request, checked before firebase-functions sees it: the
 * SDK logs a body without `data` whole, copies the keys of an `@type` object into the top level of
 * an ERROR entry and answers 500, overflows its stack decoding deep nesting, and lone surrogates
 * hang later string handling. Walks the body with its own stack, so no depth overflows it.
 */
export function rawRequestProblem(request: {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}): RawRequestProblem | undefined {
  if (request.method !== 'POST') return 'request_method';
  const contentType = String(request.headers['content-type'] ?? '');
  if (contentType.split(';')[0]?.trim().toLowerCase() !== 'application/json')
    return 'request_content_type';
  const body = request.body;
  if (!isPlainObject(body)) return 'request_shape';
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'data' || body.data === undefined) return 'request_shape';
  const stack: Array<{ value: unknown; depth: number }> = [{ value: body.data, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value === 'string') {
      if (loneSurrogate.test(value)) return 'request_lone_surrogate';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxRequestDepth) return 'request_too_deep';
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === '@type') return 'request_type_key';
      // JSON.parse keeps `__proto__` as an own key; the SDK's decode would make it the prototype.
      if (key === '__proto__') return 'request_reserved_key';
      if (loneSurrogate.test(key)) return 'request_lone_surrogate';
      stack.push({ value: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Request = Parameters<HttpsFunction>[0];
type Response = Parameters<HttpsFunction>[1];

/**
 * Puts `rawRequestProblem` in front of an onCall function. The returned handler carries every
 * property of the SDK's (`__endpoint`, `__trigger`, `run`…), which deploy and the local host read.
 */
function withRawRequestGuard<F extends HttpsFunction>(name: string, sdkHandler: F): F {
  const guarded = (request: Request, response: Response): void | Promise<void> => {
    // A CORS preflight carries no body: the SDK's CORS handling answers it.
    if (request.method === 'OPTIONS') return sdkHandler(request, response);
    const problem = rawRequestProblem(request);
    if (!problem) return sdkHandler(request, response);
    logs.callableMalformed(name, problem);
    // As the SDK's `cors: true` would, so that a browser can read the refusal.
    const origin = request.headers.origin;
    if (origin) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
    }
    response.status(400).json({
      error: {
        status: 'INVALID_ARGUMENT',
        message: '请求格式有误，请刷新页面后重试',
        details: { issues: [{ path: '', code: problem }] },
      },
    });
    return undefined;
  };
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(sdkHandler))) {
    if (key !== 'length' && key !== 'prototype') Object.defineProperty(guarded, key, descriptor);
  }
  return guarded as unknown as F;
}

export interface CallableSpec<N extends CallableName> {
  /** The callable's name in the contract, which gives its input schema and answer type. */
  name: N;
  /** Roles that may call at all; finer scope checks are the handler's. */
  roles: readonly Role[];
  handler: (
    input: CallableParsedInput<N>,
    caller: Caller,
    request: CallableRequest,
  ) => Promise<CallableAnswer<N>>;
  memory?: '256MiB' | '512MiB' | '1GiB';
  /** Secrets the handler reads (Cloud Functions binds only those declared). */
  secrets?: SecretParam[];
}

/** A callable for signed-in callers, validated by its contract schema. */
export function callable<N extends CallableName>(spec: CallableSpec<N>) {
  const input = callableInputSchemas[spec.name] as unknown as z.ZodType<CallableParsedInput<N>>;
  return withRawRequestGuard(
    spec.name,
    onCall(
      { memory: spec.memory ?? '256MiB', cors: true, secrets: spec.secrets ?? [] },
      async (request): Promise<CallableAnswer<N>> => {
        const caller = await callerOf(spec.name, request);
        if (!spec.roles.includes(caller.role)) deny(spec.name, caller.uid);
        const parsed = parsedInput({ name: spec.name, input }, request.data, caller.uid);
        return guarded(spec.name, caller.uid, () => spec.handler(parsed, caller, request));
      },
    ),
  );
}

export interface PublicCallableSpec<N extends CallableName> {
  name: N;
  /** Sees no caller: what it answers must be fit for anyone on the internet. */
  handler: (input: CallableParsedInput<N>) => Promise<CallableAnswer<N>>;
  secrets?: SecretParam[];
}

/**
 * A callable anyone may call without signing in (a certificate's verification page opened from
 * its QR code, the list of regions): the same validation and error discipline, no caller.
 */
export function publicCallable<N extends CallableName>(spec: PublicCallableSpec<N>) {
  const input = callableInputSchemas[spec.name] as unknown as z.ZodType<CallableParsedInput<N>>;
  return withRawRequestGuard(
    spec.name,
    onCall(
      { memory: '256MiB', cors: true, secrets: spec.secrets ?? [] },
      async (request): Promise<CallableAnswer<N>> => {
        const parsed = parsedInput({ name: spec.name, input }, request.data, request.auth?.uid);
        return guarded(spec.name, request.auth?.uid, () => spec.handler(parsed));
      },
    ),
  );
}
