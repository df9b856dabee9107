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
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  get<T>(key: string): Pending<T> | undefined {
    const raw = this.storage.getItem(prefix + key);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as Pending<T>;
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
    this.storage.setItem(prefix + key, JSON.stringify(fresh));
    return fresh;
  }

  /** The server answered (with a result or a final error): nothing is pending any more. */
  settle(key: string): void {
    this.storage.removeItem(prefix + key);
  }
}

/** Keeps what a person has typed into a form across reloads and dropped connections. */
export class Drafts {
  constructor(private readonly storage: KeyValueStorage) {}

  load<T>(key: string): Partial<T> {
    try {
      return JSON.parse(this.storage.getItem(`fupin.draft.${key}`) ?? '{}') as Partial<T>;
    } catch {
      return {};
    }
  }

  save<T>(key: string, value: Partial<T>): void {
    this.storage.setItem(`fupin.draft.${key}`, JSON.stringify(value));
  }

  clear(key: string): void {
    this.storage.removeItem(`fupin.draft.${key}`);
  }
}
