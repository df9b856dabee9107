/**
 * Serves every exported HTTPS and callable function at the URL shape the official Functions
 * emulator uses, `/{project}/{region}/{name}`, so the web client's `connectFunctionsEmulator`
 * works unchanged. The exported function objects are the request handlers themselves, exactly as
 * Cloud Run invokes them. Also serves signed Storage reads and a small control API for tests
 * (`/__platform/…`), which exists only here.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { FolderObjectStore } from './folderObjectStore';
import type { TriggerDispatcher } from './triggers';

type HttpFunction = ((request: Request, response: Response) => unknown) & {
  __endpoint?: {
    httpsTrigger?: unknown;
    callableTrigger?: unknown;
    scheduleTrigger?: { schedule?: string };
    region?: string[];
  };
};

export function httpFunctionsOf(functions: Record<string, unknown>): Map<string, HttpFunction> {
  const found = new Map<string, HttpFunction>();
  for (const [name, value] of Object.entries(functions)) {
    const endpoint = (value as HttpFunction).__endpoint;
    if (
      typeof value === 'function' &&
      (endpoint?.httpsTrigger || endpoint?.callableTrigger || endpoint?.scheduleTrigger)
    ) {
      found.set(name, value as HttpFunction);
    }
  }
  return found;
}

export function createFunctionsHost(options: {
  projectId: string;
  region: string;
  functions: Record<string, unknown>;
  store: FolderObjectStore;
  dispatcher: TriggerDispatcher;
  /** Identifies this run, so a readiness check cannot be answered by another instance's host. */
  instance?: string;
  /** Told of unexpected errors (the answer itself stays opaque). */
  onError?: (error: unknown) => void;
}): express.Express {
  const { projectId, region, store, dispatcher } = options;
  const handlers = httpFunctionsOf(options.functions);
  const app = express();
  app.disable('x-powered-by');
  // Callables are POSTs that no cache revalidates: hashing every answer for an ETag is waste.
  app.set('etag', false);

  // Cloud Functions hands handlers a parsed body and the raw bytes: JSON, and form fields as a
  // payment provider's notification posts them.
  const keepRawBody = (request: unknown, _response: unknown, buffer: Buffer) => {
    (request as Request & { rawBody?: Buffer }).rawBody = buffer;
  };
  app.use(express.json({ limit: '10mb', verify: keepRawBody }));
  app.use(express.urlencoded({ extended: true, limit: '10mb', verify: keepRawBody }));

  app.all('/:project/:region/:name', (request, response, next) => {
    const handler = handlers.get(request.params.name ?? '');
    if (request.params.project !== projectId || request.params.region !== region || !handler)
      return next();
    Promise.resolve(handler(request, response)).catch(next);
  });

  app.get('/storage/:bucket/*', async (request, response, next) => {
    try {
      await serveSignedRead(request, response);
    } catch (error) {
      next(error);
    }
  });
  const serveSignedRead = async (request: Request, response: Response) => {
    const name = (request.params as Record<string, string>)[0] ?? '';
    const valid =
      request.params.bucket === store.bucket &&
      store.verifySignedRead(
        name,
        String(request.query.expires ?? ''),
        String(request.query.signature ?? ''),
      );
    if (!valid) return response.status(403).send('signature invalid or expired');
    const meta = await store.stat(name);
    if (!meta) return response.status(404).send('not found');
    response.setHeader('Content-Type', meta.contentType);
    response.setHeader('Cache-Control', 'private, max-age=300');
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.send(await store.read(name));
  };

  app.get('/__platform/health', (_request, response) => {
    response.json({ ok: true, instance: options.instance });
  });

  // For bench:load: the heap tells a leak from a heap that has merely grown (RSS rarely shrinks).
  app.get('/__platform/memory', (request, response) => {
    // With node --expose-gc, ?gc=1 collects first, so what remains is what is retained.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (request.query.gc === '1' && gc) gc();
    response.json(process.memoryUsage());
  });

  app.post('/__platform/idle', async (_request, response) => {
    await dispatcher.idle();
    response.json({ ok: true });
  });

  app.get('/__platform/events', (request, response) => {
    const events = dispatcher
      .events({
        fn: request.query.fn as string | undefined,
        document: request.query.document as string | undefined,
      })
      .map((record) => ({
        fn: record.fn,
        id: record.event.id,
        type: record.event.type,
        document:
          record.event.document ?? String(record.event.subject ?? '').replace(/^objects\//, ''),
        attempts: record.attempts,
        outcome: record.outcome,
      }));
    response.json({ events });
  });

  // Cloud Scheduler's call of a scheduled function, on demand.
  app.post('/__platform/schedule/:name', async (request, response) => {
    const name = request.params.name ?? '';
    if (!handlers.get(name)?.__endpoint?.scheduleTrigger) return response.status(404).end();
    response
      .status(
        await runScheduled(`http://127.0.0.1:${request.socket.localPort}`, projectId, region, name),
      )
      .end();
  });

  app.post('/__platform/redeliver', async (request, response) => {
    const { fn, id } = request.body as { fn?: string; id?: string };
    try {
      const record = await dispatcher.redeliver(String(fn), String(id));
      response.json({ outcome: record.outcome });
    } catch (error) {
      response.status(404).json({ error: (error as Error).message });
    }
  });

  // Express would answer an HTML page (with a stack trace and server paths outside production)
  // for anything unrouted or thrown; clients get the callable protocol's JSON error instead.
  app.use((_request: Request, response: Response) => {
    response.status(404).json(callableError('NOT_FOUND', '没有这个接口 (no such function)'));
  });
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const { status, body } = errorAnswerOf(error);
    if (status >= 500) options.onError?.(error);
    response.status(status).json(body);
  });

  return app;
}

const callableError = (status: string, message: string) => ({ error: { status, message } });

/** body-parser marks its errors with a `type`; anything else is unexpected and stays opaque. */
function errorAnswerOf(error: unknown): { status: number; body: ReturnType<typeof callableError> } {
  switch ((error as { type?: string } | undefined)?.type) {
    case 'entity.parse.failed':
      return {
        status: 400,
        body: callableError(
          'INVALID_ARGUMENT',
          '请求内容不是有效的 JSON (request body is not valid JSON)',
        ),
      };
    case 'entity.too.large':
      return {
        status: 413,
        body: callableError('INVALID_ARGUMENT', '请求内容过大 (request body too large)'),
      };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return {
        status: 415,
        body: callableError('INVALID_ARGUMENT', '请求编码不受支持，请用 UTF-8 (use UTF-8)'),
      };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return {
        status: 400,
        body: callableError('INVALID_ARGUMENT', '请求不完整，请重试 (incomplete request, retry)'),
      };
    default:
      return { status: 500, body: callableError('INTERNAL', 'INTERNAL') };
  }
}

export function listen(app: express.Express, port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.on('error', reject);
  });
}

/** Invokes a scheduled function as Cloud Scheduler does: an HTTP POST naming the job. */
export async function runScheduled(
  origin: string,
  projectId: string,
  region: string,
  name: string,
): Promise<number> {
  const response = await fetch(`${origin}/${projectId}/${region}/${name}`, {
    method: 'POST',
    headers: {
      'X-CloudScheduler-JobName': `firebase-schedule-${name}-${region}`,
      'X-CloudScheduler-ScheduleTime': new Date().toISOString(),
    },
  });
  return response.status;
}

/** Runs every "every N minutes" scheduled function on its interval; daily jobs run on demand. */
export function startScheduler(
  origin: string,
  projectId: string,
  region: string,
  functions: Record<string, unknown>,
): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const [name, fn] of httpFunctionsOf(functions)) {
    const minutes = /^every (\d+) minutes?$/.exec(
      fn.__endpoint?.scheduleTrigger?.schedule ?? '',
    )?.[1];
    if (!minutes) continue;
    timers.push(
      setInterval(
        () => void runScheduled(origin, projectId, region, name),
        Number(minutes) * 60_000,
      ),
    );
  }
  return () => timers.forEach(clearInterval);
}
