// Parsing, dereferencing, validating and pre-flighting a document costs tens of milliseconds and is
// the same for every run of that document; the bench showed it as a large share of a run's worker
// CPU. This keeps the analysis per document, reused while every file it was built from still has the
// same content, so an edited document is never served stale. It is bounded by the bytes of the texts
// the kept analyses were built from (an analysis takes many times its text in memory) and by a count;
// the least recently used analyses go first.
//
// "Same content" is checked on each use. A file with a stamp (document-read.ts: its device, inode, size
// and change times) is unchanged while its stamp is; any other text (a URL), or a file whose stamp moved, is
// read again and compared by hash. Reading and hashing every text on every run was, after the lock, the
// largest cost of a run on the worker's main thread (the bench's profile at 500 concurrent rotations).
import { createHash } from 'node:crypto';
import type { DocumentSet } from '../arazzo/document/index.js';
import type { Finding } from '../arazzo/model.js';
import type { Plan } from '../arazzo/plan/types.js';

export interface DocumentAnalysis {
  set: DocumentSet;
  findings: Finding[];
  /** Plans and pre-flight findings by workflowId (built on first use). */
  plans: Map<string, { plan: Plan; preflight: Finding[] }>;
}

interface Text {
  /** Content hash. */
  digest: string;
  /** The file's stamp, taken before it was read; undefined when it has none (a URL, a file just written). */
  stamp?: string;
}

interface Entry {
  /** File/URL → what it was, for every text the analysis read. */
  texts: Map<string, Text>;
  /** UTF-8 bytes of those texts. */
  bytes: number;
  analysis: DocumentAnalysis;
}

export interface DocumentCacheLimits {
  maxEntries: number;
  /** Sum of the (UTF-8) sizes of the texts behind the kept analyses. */
  maxBytes: number;
}

/**
 * What changes whenever a file's content can have changed, or undefined when that cannot be told
 * without reading it. It must be taken *before* the text is read: a write in between then shows as a
 * changed stamp the next time, never as an old text under a new stamp.
 */
export type StampFile = (url: string) => Promise<string | undefined>;

export const DEFAULT_DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024;

const hash = (text: string) => createHash('sha256').update(text).digest('base64url');

export class DocumentCache {
  /** In order of use, least recent first. */
  private readonly entries = new Map<string, Entry>();
  private total = 0;
  /** Analyses being built, by key: concurrent misses share one. */
  private readonly loading = new Map<string, Promise<DocumentAnalysis>>();
  private readonly limits: DocumentCacheLimits;

  constructor(limits: Partial<DocumentCacheLimits> = {}) {
    this.limits = { maxEntries: 64, maxBytes: DEFAULT_DOCUMENT_CACHE_BYTES, ...limits };
  }

  /** Bytes of the texts behind the kept analyses. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The analysis of `location` (with `strict`), reusing the cached one when every text it was built
   * from reads the same now; `analyse` gets a reader that records what it reads. Without `stamp`,
   * every text is read and hashed on every use.
   */
  async get(
    location: string,
    strict: boolean,
    read: (url: string) => Promise<string>,
    analyse: (read: (url: string) => Promise<string>) => Promise<Omit<DocumentAnalysis, 'plans'>>,
    stamp?: StampFile,
  ): Promise<DocumentAnalysis> {
    const stampOf = (url: string) => (stamp ? stamp(url).catch(() => undefined) : Promise.resolve(undefined));
    const key = `${strict ? 'strict' : 'lenient'} ${location}`;
    const cached = this.entries.get(key);
    if (cached && (await this.unchanged(cached, read, stampOf))) {
      // Most recently used now (the entry may have gone while it was checked).
      if (this.entries.get(key) === cached) {
        this.entries.delete(key);
        this.entries.set(key, cached);
      }
      return cached.analysis;
    }
    // Runs started together all miss at once: one analysis, the others wait for it (a thousand runs of one
    // document parsed it a thousand times, at about a second each for an AsyncAPI source).
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight;
    const loading = this.analyseAndKeep(key, read, analyse, stampOf);
    this.loading.set(key, loading);
    try {
      return await loading;
    } finally {
      this.loading.delete(key);
    }
  }

  private async analyseAndKeep(
    key: string,
    read: (url: string) => Promise<string>,
    analyse: (read: (url: string) => Promise<string>) => Promise<Omit<DocumentAnalysis, 'plans'>>,
    stampOf: StampFile,
  ): Promise<DocumentAnalysis> {
    const texts = new Map<string, Text>();
    const sizes = new Map<string, number>();
    const recording = async (url: string) => {
      const stamp = await stampOf(url);
      const text = await read(url);
      texts.set(url, { digest: hash(text), stamp });
      sizes.set(url, Buffer.byteLength(text, 'utf8'));
      return text;
    };
    const analysis = { ...(await analyse(recording)), plans: new Map() };
    let bytes = 0;
    for (const size of sizes.values()) bytes += size;
    this.remove(key);
    // One analysis over the whole budget is returned, never kept (and evicts nothing).
    if (bytes > this.limits.maxBytes) return analysis;
    while (
      this.entries.size > 0 &&
      (this.entries.size >= this.limits.maxEntries || this.total + bytes > this.limits.maxBytes)
    ) {
      this.remove(this.entries.keys().next().value!);
    }
    this.entries.set(key, { texts, bytes, analysis });
    this.total += bytes;
    return analysis;
  }

  private remove(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }

  private async unchanged(entry: Entry, read: (url: string) => Promise<string>, stampOf: StampFile): Promise<boolean> {
    for (const [url, text] of entry.texts) {
      try {
        const stamp = await stampOf(url);
        if (stamp !== undefined && stamp === text.stamp) continue;
        if (hash(await read(url)) !== text.digest) return false;
        // The same content under a new stamp (touched, copied back): the next use trusts the new one.
        text.stamp = stamp;
      } catch {
        return false;
      }
    }
    return true;
  }
}
