/**
 * The local platform's write-ahead journal: one JSON line per committed batch, delivered event or
 * finalized object, appended with a synchronous write before the client hears of it. A write to a
 * file is in the kernel's page cache once the call returns, so a `kill -9` of the process loses
 * nothing written (a power cut could: no fsync, local only). A snapshot of everything replaces the
 * journal from time to time (compaction), so the journal stays short and a start reads the
 * snapshot and then the few lines after it.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import type { FinalizedObject } from './folderObjectStore';

/** An event that must reach its trigger functions, kept until every delivery has finished. */
export interface PendingEvent {
  id: string;
  /** ISO time of the change, the CloudEvent's `time`. */
  time: string;
  firestore?: {
    /** Path relative to the database root, e.g. `households/abc`. */
    path: string;
    /** Base64 of the serialized google.firestore.v1.Document before and after, if it existed. */
    before?: string;
    after?: string;
  };
  storage?: FinalizedObject;
  /** Trigger functions that already had their delivery. */
  done: string[];
}

/** What the trigger dispatcher tells the journal, and learns from it after a restart. */
export interface EventOutbox {
  /** Journals an event not journaled with a commit (a finalized object), before it is reported. */
  add(event: PendingEvent): void;
  /** One trigger function had its delivery (succeeded, or failed for good). */
  delivered(id: string, fn: string): void;
  /** Every delivery of the event has finished: it is no longer pending. */
  settled(id: string): void;
  /** Events journaled by an earlier run and not settled then. */
  pending(): PendingEvent[];
}

export type JournalRecord =
  /** A commit: each written document's full path and new state (base64, or null when deleted), and its events. */
  | { c: Array<[string, string | null]>; e: Array<Omit<PendingEvent, 'done'>> }
  | { e: [Omit<PendingEvent, 'done'>] }
  | { d: string; fn: string }
  | { s: string }
  | { clear: true };

export class Journal {
  private fd: number | undefined;
  private bytes = 0;

  constructor(private readonly file: string) {}

  /** The records of the journal as left by the last run; a torn last line (a kill mid-write) is dropped. */
  read(): JournalRecord[] {
    if (!existsSync(this.file)) return [];
    const records: JournalRecord[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as JournalRecord);
      } catch {
        break;
      }
    }
    return records;
  }

  /** Size written since the last snapshot, to decide when to take the next one. */
  get size(): number {
    return this.bytes;
  }

  append(record: JournalRecord): void {
    this.fd ??= openSync(this.file, 'a');
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    let written = 0;
    while (written < line.length) written += writeSync(this.fd, line, written);
    this.bytes += line.length;
  }

  /**
   * Replaces the snapshot (written aside, then renamed, so a kill mid-write leaves the old one),
   * then empties the journal it now contains. Synchronous, so no commit falls between the two.
   */
  compact(snapshotFile: string, snapshot: string): void {
    const temporary = `${snapshotFile}.tmp`;
    writeFileSync(temporary, snapshot);
    renameSync(temporary, snapshotFile);
    this.fd ??= openSync(this.file, 'a');
    ftruncateSync(this.fd);
    this.bytes = 0;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
