/**
 * Retry-safe submissions on weak signal. Before a form is sent, its data and a request id are kept
 * in storage; a retry (after a dropped connection, a reload, a closed browser) sends the same
 * request id, which the server answers with the first result instead of a second effect. The
 * entry is removed only when the server has answered.
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Pending<T> {
  requestId: string;
  data: T;
}

const prefix = 'fupin.pending.';

export class PendingSubmissions {
  /**
   * Requests the storage refused (quota full, private mode, a multi-megabyte roster file): kept for
   * this page's life, so a retry without a reload still reuses the request id.
   */
  private readonly unstored = new Map<string, string>();

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  get<T>(key: string): Pending<T> | undefined {
    const raw = this.unstored.get(key) ?? readSafely(this.storage, prefix + key);
    if (!raw) return undefined;
    try {
      const kept = JSON.parse(raw) as Partial<Pending<T>>;
      return typeof kept.requestId === 'string' && 'data' in kept
        ? (kept as Pending<T>)
        : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The request to send for `data`: the kept one when the same data is pending (a retry), a new
   * request id otherwise (the person changed what they entered, so it is a new submission).
   */
  prepare<T>(key: string, data: T): Pending<T> {
    const kept = this.get<T>(key);
    if (kept && JSON.stringify(kept.data) === JSON.stringify(data)) return kept;
    const fresh = { requestId: this.newId(), data };
    const raw = JSON.stringify(fresh);
    try {
      this.storage.setItem(prefix + key, raw);
      this.unstored.delete(key);
    } catch {
      // Drop any older stored entry so it is not mistaken for this one after a reload.
      removeSafely(this.storage, prefix + key);
      this.unstored.set(key, raw);
    }
    return fresh;
  }

  /** The server answered (with a result or a final error): nothing is pending any more. */
  settle(key: string): void {
    this.unstored.delete(key);
    removeSafely(this.storage, prefix + key);
  }
}

function readSafely(storage: KeyValueStorage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function removeSafely(storage: KeyValueStorage, key: string): void {
  try {
    storage.removeItem(key);
  } catch {
    // Storage unavailable: there is nothing kept there to remove.
  }
}

/** Keeps what a person has typed into a form across reloads and dropped connections. */
export class Drafts {
  constructor(private readonly storage: KeyValueStorage) {}

  load<T>(key: string): Partial<T> {
    try {
      return JSON.parse(readSafely(this.storage, `fupin.draft.${key}`) ?? '{}') as Partial<T>;
    } catch {
      return {};
    }
  }

  /** Best effort: a full storage loses the draft, never the form the person is filling in. */
  save<T>(key: string, value: Partial<T>): void {
    try {
      this.storage.setItem(`fupin.draft.${key}`, JSON.stringify(value));
    } catch {
      // Nothing to do: the form on screen still holds what was typed.
    }
  }

  clear(key: string): void {
    removeSafely(this.storage, `fupin.draft.${key}`);
  }
}

/** The browser's localStorage, or a memory one where it is blocked (some in-app browsers). */
export function browserStorage(): KeyValueStorage {
  try {
    const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
    if (storage) {
      storage.getItem(prefix);
      return storage;
    }
  } catch {
    // Blocked storage throws on access: fall through to memory.
  }
  const memory = new Map<string, string>();
  return {
    getItem: (key) => memory.get(key) ?? null,
    setItem: (key, value) => void memory.set(key, value),
    removeItem: (key) => void memory.delete(key),
  };
}
