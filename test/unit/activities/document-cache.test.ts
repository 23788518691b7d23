import { describe, expect, it } from 'vitest';
import { DocumentCache } from '../../../src/activities/document-cache.js';

describe('DocumentCache', () => {
  const files: Record<string, string> = { '/doc.yaml': 'a', '/api.yaml': 'b' };
  const read = async (url: string) => {
    if (!(url in files)) throw new Error(`missing ${url}`);
    return files[url];
  };
  let analyses = 0;
  const analyse = async (recordingRead: (url: string) => Promise<string>) => {
    analyses++;
    const text = (await recordingRead('/doc.yaml')) + (await recordingRead('/api.yaml'));
    return { set: { text } as never, findings: [] };
  };

  it('reuses an analysis while every file it read is unchanged, and redoes it when one changes', async () => {
    const cache = new DocumentCache();
    const first = await cache.get('/doc.yaml', false, read, analyse);
    expect(await cache.get('/doc.yaml', false, read, analyse)).toBe(first);
    expect(analyses).toBe(1);
    // Strict and lenient analyses are kept apart.
    await cache.get('/doc.yaml', true, read, analyse);
    expect(analyses).toBe(2);
    // A source description edited: analysed again, with the new content.
    files['/api.yaml'] = 'B';
    const second = await cache.get('/doc.yaml', false, read, analyse);
    expect(second).not.toBe(first);
    expect((second.set as unknown as { text: string }).text).toBe('aB');
    expect(analyses).toBe(3);
    // A file that can no longer be read: analysed again (which then reports it).
    delete files['/api.yaml'];
    await expect(cache.get('/doc.yaml', false, read, analyse)).rejects.toThrow('missing /api.yaml');
  });

  it('analyses once for runs that miss together: the others wait for that analysis', async () => {
    const cache = new DocumentCache();
    let count = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = async (recordingRead: (url: string) => Promise<string>) => {
      count++;
      await gate;
      return { set: { text: await recordingRead('/doc.yaml') } as never, findings: [] };
    };
    const files = { '/doc.yaml': 'x' } as Record<string, string>;
    const reader = async (url: string) => files[url];
    const all = Promise.all([1, 2, 3].map(() => cache.get('/doc.yaml', false, reader, slow)));
    release();
    const [a, b, c] = await all;
    expect(count).toBe(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
    // Once it is kept, the next miss (a changed file) analyses again.
    files['/doc.yaml'] = 'y';
    await cache.get('/doc.yaml', false, reader, slow);
    expect(count).toBe(2);
  });

  it('is bounded by the bytes of the texts it keeps: the least recently used analyses go first', async () => {
    const texts: Record<string, string> = {
      '/a.yaml': 'a'.repeat(400),
      '/b.yaml': 'b'.repeat(400),
      '/c.yaml': 'c'.repeat(400),
      '/big.yaml': 'é'.repeat(600), // 1200 bytes in UTF-8: more than the whole budget
    };
    const readText = async (url: string) => texts[url];
    const analysed: string[] = [];
    const analyseOne = (location: string) => async (recordingRead: (url: string) => Promise<string>) => {
      analysed.push(location);
      return { set: { text: await recordingRead(location) } as never, findings: [] };
    };
    const get = (location: string) => cache.get(location, false, readText, analyseOne(location));
    const cache = new DocumentCache({ maxEntries: 64, maxBytes: 1000 });
    await get('/a.yaml');
    await get('/b.yaml');
    expect(cache.bytes).toBe(800);
    await get('/a.yaml'); // used again: now b is the least recently used
    await get('/c.yaml'); // 1200 bytes would be over: b goes
    expect(cache.bytes).toBe(800);
    expect(analysed).toEqual(['/a.yaml', '/b.yaml', '/c.yaml']);
    await get('/a.yaml');
    await get('/c.yaml');
    expect(analysed).toHaveLength(3); // a and c were kept
    await get('/b.yaml'); // analysed again; a (least recently used) goes
    expect(analysed).toEqual(['/a.yaml', '/b.yaml', '/c.yaml', '/b.yaml']);
    expect(cache.bytes).toBe(800);
    // An analysis bigger than the whole budget is returned but not kept, and evicts nothing.
    await get('/big.yaml');
    await get('/big.yaml');
    expect(analysed.filter((l) => l === '/big.yaml')).toHaveLength(2);
    expect(cache.bytes).toBe(800);
    await get('/c.yaml');
    await get('/b.yaml');
    expect(analysed).toHaveLength(6);
  });

  it('still keeps at most maxEntries analyses', async () => {
    const readText = async (url: string) => url;
    let count = 0;
    const cache = new DocumentCache({ maxEntries: 2, maxBytes: 1_000_000 });
    const get = (location: string) =>
      cache.get(location, false, readText, async (r) => {
        count++;
        return { set: { text: await r(location) } as never, findings: [] };
      });
    await get('/1');
    await get('/2');
    await get('/3');
    await get('/1');
    expect(count).toBe(4);
    expect(cache.size).toBe(2);
  });

  it('trusts an unchanged stamp without reading; a moved stamp reads and compares the content', async () => {
    const files: Record<string, { text: string; stamp?: string }> = {
      '/doc.yaml': { text: 'a', stamp: 's1' },
      '/api.yaml': { text: 'b' }, // no stamp (a URL, or a file just written): read on every use
    };
    const reads: string[] = [];
    const readText = async (url: string) => {
      reads.push(url);
      return files[url].text;
    };
    const stamp = async (url: string) => files[url].stamp;
    let count = 0;
    const analyseBoth = async (r: (url: string) => Promise<string>) => {
      count++;
      return { set: { text: (await r('/doc.yaml')) + (await r('/api.yaml')) } as never, findings: [] };
    };
    const cache = new DocumentCache();
    const first = await cache.get('/doc.yaml', false, readText, analyseBoth, stamp);
    reads.length = 0;
    expect(await cache.get('/doc.yaml', false, readText, analyseBoth, stamp)).toBe(first);
    expect(reads).toEqual(['/api.yaml']);
    // Touched: a new stamp, the same content. Reused; the new stamp is trusted from then on.
    files['/doc.yaml'].stamp = 's2';
    reads.length = 0;
    expect(await cache.get('/doc.yaml', false, readText, analyseBoth, stamp)).toBe(first);
    expect(reads).toEqual(['/doc.yaml', '/api.yaml']);
    reads.length = 0;
    await cache.get('/doc.yaml', false, readText, analyseBoth, stamp);
    expect(reads).toEqual(['/api.yaml']);
    expect(count).toBe(1);
    // Edited: a new stamp and new content. Analysed again.
    files['/doc.yaml'] = { text: 'A', stamp: 's3' };
    const second = await cache.get('/doc.yaml', false, readText, analyseBoth, stamp);
    expect((second.set as unknown as { text: string }).text).toBe('Ab');
    expect(count).toBe(2);
  });

  it('a stamp taken after the read could hide an edit: it is taken before', async () => {
    // The edit lands between the stamp and the read: the kept stamp is the old one, so the next use
    // sees a moved stamp and reads the new content, instead of trusting new-stamp-with-old-text.
    let text = 'v1';
    let stampNow = 'old';
    const order: string[] = [];
    const cache = new DocumentCache();
    const stamp = async () => {
      order.push('stamp');
      return stampNow;
    };
    const readText = async () => {
      order.push('read');
      const seen = text;
      text = 'v2';
      stampNow = 'new';
      return seen;
    };
    let count = 0;
    const analyseOne = async (r: (url: string) => Promise<string>) => {
      count++;
      return { set: { text: await r('/d') } as never, findings: [] };
    };
    await cache.get('/d', false, readText, analyseOne, stamp);
    expect(order).toEqual(['stamp', 'read']);
    const again = await cache.get('/d', false, async () => text, analyseOne, stamp);
    expect((again.set as unknown as { text: string }).text).toBe('v2');
    expect(count).toBe(2);
  });
});
