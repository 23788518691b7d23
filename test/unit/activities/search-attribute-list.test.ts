import { describe, expect, it } from 'vitest';
import { SearchAttributeList } from '../../../src/activities/search-attribute-list.js';

describe('SearchAttributeList', () => {
  it('asks the server once a minute, and again a few seconds after a failed call', async () => {
    let now = 0;
    let calls = 0;
    let answer: () => Promise<string[]> = async () => ['ArazzoState'];
    const list = new SearchAttributeList(
      () => {
        calls++;
        return answer();
      },
      { keepMs: 60_000, keepFailureMs: 5_000, now: () => now },
    );
    expect(await list.get()).toEqual(['ArazzoState']);
    now = 59_999;
    expect(await list.get()).toEqual(['ArazzoState']);
    expect(calls).toBe(1);
    // An operator registered another one: seen within the minute.
    answer = async () => ['ArazzoState', 'ArazzoStep'];
    now = 60_000;
    expect(await list.get()).toEqual(['ArazzoState', 'ArazzoStep']);
    expect(calls).toBe(2);
    // The server fails: "none" for a few seconds, then asked again.
    answer = async () => {
      throw new Error('unavailable');
    };
    now = 120_000;
    expect(await list.get()).toEqual([]);
    now = 124_999;
    expect(await list.get()).toEqual([]);
    expect(calls).toBe(3);
    answer = async () => ['ArazzoState'];
    now = 125_000;
    expect(await list.get()).toEqual(['ArazzoState']);
    expect(calls).toBe(4);
  });

  it('runs that ask together share one call', async () => {
    let calls = 0;
    const list = new SearchAttributeList(async () => {
      calls++;
      return ['ArazzoState'];
    });
    await Promise.all([list.get(), list.get(), list.get()]);
    expect(calls).toBe(1);
  });
});
