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
});
