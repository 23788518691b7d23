// Parsing, dereferencing, validating and pre-flighting a document costs tens of milliseconds and is
// the same for every run of that document; the bench showed it as a large share of a run's worker
// CPU. This keeps the analysis per document, reused while every file it was built from still has the
// same content (checked by hash on each use, so an edited document is never served stale).
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

interface Entry {
  /** File/URL → content hash, for every text the analysis read. */
  texts: Map<string, string>;
  analysis: DocumentAnalysis;
}

const hash = (text: string) => createHash('sha256').update(text).digest('base64url');

export class DocumentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 64) {}

  /**
   * The analysis of `location` (with `strict`), reusing the cached one when every text it was built
   * from reads the same now; `analyse` gets a reader that records what it reads.
   */
  async get(
    location: string,
    strict: boolean,
    read: (url: string) => Promise<string>,
    analyse: (read: (url: string) => Promise<string>) => Promise<Omit<DocumentAnalysis, 'plans'>>,
  ): Promise<DocumentAnalysis> {
    const key = `${strict ? 'strict' : 'lenient'} ${location}`;
    const cached = this.entries.get(key);
    if (cached && (await this.unchanged(cached, read))) return cached.analysis;
    const texts = new Map<string, string>();
    const recording = async (url: string) => {
      const text = await read(url);
      texts.set(url, hash(text));
      return text;
    };
    const analysis = { ...(await analyse(recording)), plans: new Map() };
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { texts, analysis });
    return analysis;
  }

  private async unchanged(entry: Entry, read: (url: string) => Promise<string>): Promise<boolean> {
    for (const [url, digest] of entry.texts) {
      try {
        if (hash(await read(url)) !== digest) return false;
      } catch {
        return false;
      }
    }
    return true;
  }
}
