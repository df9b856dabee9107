import { logger } from 'firebase-functions';
import { errorFields, logs } from './logs';

const idNumber = '110101199003077777';

function loggedBy(run: () => void): { message: string; entry: Record<string, unknown> } {
  const spy = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  try {
    run();
    expect(spy).toHaveBeenCalledTimes(1);
    const [message, entry] = spy.mock.calls[0] as [string, Record<string, unknown>];
    return { message, entry };
  } finally {
    spy.mockRestore();
  }
}

function thrownBy(fn: () => never): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function lookUpHousehold(id: string): never {
  throw new TypeError(`no household with ID ${id}`);
}

describe('callable_failed', () => {
  it('logs the stack frames of an unexpected error and never its message', () => {
    const error = thrownBy(() => lookUpHousehold(idNumber));
    const { entry } = loggedBy(() => logs.callableFailed('registerHousehold', 'uid-1', error));
    expect(entry).toMatchObject({
      event: 'callable_failed',
      fn: 'registerHousehold',
      uid: 'uid-1',
      errorName: 'TypeError',
    });
    const stack = entry.stack_trace as string;
    const lines = stack.split('\n');
    expect(lines[0]).toBe('TypeError');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.startsWith('    at '))).toBe(true);
    expect(stack).toContain('lookUpHousehold');
    expect(stack).toContain('logs.test.ts');
    expect(JSON.stringify(entry)).not.toContain(idNumber);
    expect(JSON.stringify(entry)).not.toContain('no household');
  });

  it('keeps a gRPC code and drops a message of several lines, even one shaped like a frame', () => {
    const error = Object.assign(
      new Error(`5 NOT_FOUND: households/x\n    at ${idNumber} (evil.js:1:1)\nmore`),
      { code: 5 },
    );
    const { entry } = loggedBy(() => logs.callableFailed('registerHousehold', undefined, error));
    expect(entry).toMatchObject({ errorName: 'Error', errorCode: 5 });
    expect(entry.stack_trace).toMatch(/^Error\n {4}at /);
    expect(JSON.stringify(entry)).not.toContain(idNumber);
    expect(JSON.stringify(entry)).not.toContain('NOT_FOUND');
  });

  it('logs what a thrown non-error is, not its value', () => {
    expect(errorFields(idNumber)).toEqual({ errorName: 'string' });
    expect(errorFields(undefined)).toEqual({ errorName: 'undefined' });
    expect(JSON.stringify(errorFields({ message: idNumber }))).not.toContain(idNumber);
  });
});

describe('certificate_failed', () => {
  it('carries the stack frames without the message', () => {
    const error = thrownBy(() => lookUpHousehold(idNumber));
    const { entry } = loggedBy(() =>
      logs.certificateFailed('donation-1', 'error', { ...errorFields(error), retrying: true }),
    );
    expect(entry).toMatchObject({ event: 'certificate_failed', errorName: 'TypeError' });
    expect(entry.stack_trace).toContain('lookUpHousehold');
    expect(JSON.stringify(entry)).not.toContain(idNumber);
  });
});
