/**
 * Firestore's meaning of one google.firestore.v1.Write, applied to a document's fields. The
 * embedded server gets three things wrong that the functions rely on: a `set` without merge keeps
 * the fields it does not name, `FieldValue.delete()` (a masked path without a value) deletes
 * nothing, and after a server timestamp or an array transform it skips the remaining transforms
 * of the write (and it refuses transforms of nested fields). The glue computes each document's
 * next fields here and hands the server whole documents.
 */
import {
  ArrayValue,
  MapValue,
  Value,
} from '@firestore-emulator/proto/dist/google/firestore/v1/document';
import type {
  DocumentTransformFieldTransform,
  Write,
} from '@firestore-emulator/proto/dist/google/firestore/v1/write';
import { Timestamp } from '@firestore-emulator/proto/dist/google/protobuf/timestamp';

export type Fields = Map<string, Value>;

export class InvalidWriteError extends Error {
  readonly code = 3;
}

/** Splits a field path into its segments: `a.b`, `` `x.y`.z `` (backquoted, with \ escapes). */
export function parseFieldPath(path: string): string[] {
  const segments: string[] = [];
  let i = 0;
  while (i < path.length) {
    let segment = '';
    if (path[i] === '`') {
      i++;
      while (i < path.length && path[i] !== '`') {
        if (path[i] === '\\') i++;
        segment += path[i] ?? '';
        i++;
      }
      i++;
    } else {
      const end = path.indexOf('.', i);
      segment = path.slice(i, end < 0 ? path.length : end);
      i = end < 0 ? path.length : end;
    }
    segments.push(segment);
    if (path[i] === '.') i++;
  }
  return segments;
}

function getPath(fields: Fields, segments: string[]): Value | undefined {
  let value = fields.get(segments[0] as string);
  for (const segment of segments.slice(1)) {
    if (!value?.has_map_value) return undefined;
    value = value.map_value.fields.get(segment);
  }
  return value;
}

/** Sets (or, without a value, deletes) a nested field, copying the maps on the way down. */
function setPath(fields: Fields, segments: string[], value: Value | undefined): void {
  const [head, ...rest] = segments as [string, ...string[]];
  if (rest.length === 0) {
    if (value) fields.set(head, value);
    else fields.delete(head);
    return;
  }
  const existing = fields.get(head);
  if (!value && !existing?.has_map_value) return;
  const child: Fields = existing?.has_map_value ? new Map(existing.map_value.fields) : new Map();
  setPath(child, rest, value);
  fields.set(head, new Value({ map_value: new MapValue({ fields: child }) }));
}

function sameValue(a: Value, b: Value): boolean {
  if ((a.has_integer_value || a.has_double_value) && (b.has_integer_value || b.has_double_value))
    return numberOf(a) === numberOf(b);
  return Buffer.from(a.serializeBinary()).equals(Buffer.from(b.serializeBinary()));
}

function numberOf(value: Value): number {
  return value.has_integer_value ? Number(value.integer_value) : value.double_value;
}

function isNumber(value: Value | undefined): value is Value {
  return value !== undefined && (value.has_integer_value || value.has_double_value);
}

function transformed(
  current: Value | undefined,
  transform: DocumentTransformFieldTransform,
  timestamp: { seconds: number; nanos: number },
): Value {
  if (transform.has_set_to_server_value)
    return new Value({ timestamp_value: new Timestamp(timestamp) });
  if (transform.has_increment) {
    const operand = transform.increment;
    if (!isNumber(current)) return operand;
    const sum = numberOf(current) + numberOf(operand);
    return current.has_integer_value && operand.has_integer_value
      ? new Value({ integer_value: sum })
      : new Value({ double_value: sum });
  }
  if (transform.has_maximum || transform.has_minimum) {
    const operand = transform.has_maximum ? transform.maximum : transform.minimum;
    if (!isNumber(current)) return operand;
    const operandWins = transform.has_maximum
      ? numberOf(operand) > numberOf(current)
      : numberOf(operand) < numberOf(current);
    return operandWins ? operand : current;
  }
  const elements = current?.has_array_value ? [...current.array_value.values] : [];
  if (transform.has_append_missing_elements) {
    for (const element of transform.append_missing_elements.values)
      if (!elements.some((existing) => sameValue(existing, element))) elements.push(element);
    return new Value({ array_value: new ArrayValue({ values: elements }) });
  }
  if (transform.has_remove_all_from_array) {
    const removed = transform.remove_all_from_array.values;
    return new Value({
      array_value: new ArrayValue({
        values: elements.filter((element) => !removed.some((value) => sameValue(value, element))),
      }),
    });
  }
  throw new InvalidWriteError(`unsupported field transform on ${transform.field_path}`);
}

/**
 * The fields a document has after `write` (undefined: deleted), from the fields it had
 * (undefined: missing), and the transform results Firestore reports. Preconditions are checked
 * by the caller, before any write of the batch applies.
 */
export function applyWrite(
  current: Fields | undefined,
  write: Write,
  timestamp: { seconds: number; nanos: number },
): { next: Fields | undefined; transformResults: Value[] } {
  if (write.has_delete) return { next: undefined, transformResults: [] };
  if (!write.has_update) throw new InvalidWriteError('only update and delete writes are supported');
  let next: Fields;
  if (write.has_update_mask) {
    next = new Map(current ?? []);
    for (const fieldPath of write.update_mask.field_paths) {
      const segments = parseFieldPath(fieldPath);
      setPath(next, segments, getPath(write.update.fields, segments));
    }
  } else {
    next = new Map(write.update.fields);
  }
  const transformResults = write.update_transforms.map((transform) => {
    const segments = parseFieldPath(transform.field_path);
    const value = transformed(getPath(next, segments), transform, timestamp);
    setPath(next, segments, value);
    return value;
  });
  return { next, transformResults };
}
