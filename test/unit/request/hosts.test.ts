// One host rule (src/arazzo/request/hosts.ts) for the worker's allow-lists and the secret host
// bindings: case-insensitive, IPv6 brackets ignored, exact (no wildcards).
import { describe, expect, it } from 'vitest';
import { hostMatches, hostOf, normalizeHost, urlHostAllowed } from '../../../src/arazzo/request/hosts.js';
import { policyFromEnv } from '../../../src/activities/config.js';
import { hostProblem } from '../../../src/secrets/policy.js';

describe('hostMatches', () => {
  it('ignores case and IPv6 brackets', () => {
    expect(hostMatches('api.example.com', 'API.Example.COM')).toBe(true);
    expect(hostMatches('[::1]', '::1')).toBe(true);
    expect(hostMatches('::1', '[::1]')).toBe(true);
    expect(normalizeHost('[FE80::1]')).toBe('fe80::1');
  });
  it('is exact: no wildcards, no suffixes', () => {
    expect(hostMatches('api.example.com', '*.example.com')).toBe(false);
    expect(hostMatches('evil-example.com', 'example.com')).toBe(false);
    expect(hostMatches('example.com.evil', 'example.com')).toBe(false);
  });
});

describe('hostOf and urlHostAllowed', () => {
  it('reads the normalized host of absolute URLs only', () => {
    expect(hostOf('https://API.Example.com:8443/v1')).toBe('api.example.com');
    expect(hostOf('http://[::1]:9/')).toBe('::1');
    expect(hostOf('/relative')).toBeUndefined();
  });
  it('matches allow-list entries whatever their case or brackets', () => {
    expect(urlHostAllowed('https://api.example.com/x', ['API.EXAMPLE.COM'])).toBe(true);
    expect(urlHostAllowed('http://[::1]:8080/', ['::1'])).toBe(true);
    expect(urlHostAllowed('http://[::1]:8080/', ['[::1]'])).toBe(true);
    expect(urlHostAllowed('https://other.example.com/', ['api.example.com'])).toBe(false);
    expect(urlHostAllowed('not a url', ['not a url'])).toBe(false);
    expect(urlHostAllowed('file:///etc/passwd', [''])).toBe(false);
  });
  it('the default server allow-list is loopback', () => {
    const { allowedServerHosts } = policyFromEnv({});
    for (const url of ['http://127.0.0.1:1/', 'http://localhost:1/', 'http://LOCALHOST:1/', 'http://[::1]:1/'])
      expect(urlHostAllowed(url, allowedServerHosts)).toBe(true);
    expect(urlHostAllowed('http://10.0.0.1/', allowedServerHosts)).toBe(false);
  });
  it('secret host decisions use the same rule as the allow-lists', () => {
    const policy = { envAllow: [], hostBindings: [] };
    const input = { refText: 'env:T', targetHost: 'api.example.com', allowedServerHosts: ['API.Example.com'] };
    expect(hostProblem({ ...input, overrideUrl: 'https://api.example.com/' }, policy)).toBeUndefined();
    expect(hostProblem({ ...input, sealedServerUrl: 'https://API.EXAMPLE.COM/v1' }, policy)).toBeUndefined();
    const bound = { ...policy, hostBindings: [{ pattern: 'env:*', hosts: ['[::1]'] }] };
    expect(hostProblem({ ...input, targetHost: '::1' }, bound)).toBeUndefined();
  });
});
