import { describe, expect, it } from 'vitest';
import { changesState, crossSiteReason, safeReturnUrl } from '../../../integrations/http/sameOrigin';

const base = 'https://kassa.example';

describe('safeReturnUrl', () => {
  it('keeps a path on the desk with its query and fragment', () => {
    expect(safeReturnUrl('/tasks/42?claimed=me#decision', base)).toBe('https://kassa.example/tasks/42?claimed=me#decision');
    expect(safeReturnUrl('/search?q=Virtanen%20Aino', base)).toBe('https://kassa.example/search?q=Virtanen%20Aino');
  });

  it('normalises dot segments and stays on the desk', () => {
    expect(safeReturnUrl('/queue/../members/1', base)).toBe('https://kassa.example/members/1');
    expect(safeReturnUrl('/%2F%2Fevil.example', base)).toBe('https://kassa.example/%2F%2Fevil.example');
  });

  it.each([
    ['a backslash after the slash', '/\\evil.example'],
    ['a backslash later on', '/queue\\..\\..\\evil.example'],
    ['a protocol-relative URL', '//evil.example/path'],
    ['an absolute URL', 'https://evil.example/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'evil.example'],
    ['a tab that the URL parser would drop', '/\t/evil.example'],
    ['a newline', '/\n/evil.example'],
    ['a NUL', '/queue\u0000'],
    ['a space', '/ /evil.example'],
    ['a path that normalises to //', '/.//evil.example'],
    ['a path that normalises to // through ..', '/a/..//evil.example'],
  ])('refuses %s', (_what, returnTo) => {
    const target = new URL(safeReturnUrl(returnTo, base));
    expect(target.origin).toBe(base);
    expect(target.pathname).toBe('/');
  });

  it('falls back to the root without a returnTo', () => {
    expect(safeReturnUrl(undefined, base)).toBe('https://kassa.example/');
    expect(safeReturnUrl('', base)).toBe('https://kassa.example/');
  });
});

describe('crossSiteReason', () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it('accepts the desk\'s own origin', () => {
    expect(crossSiteReason(headers({ origin: base }), base)).toBeNull();
    expect(crossSiteReason(headers({ origin: 'http://localhost:3000' }), 'http://localhost:3000/')).toBeNull();
  });

  it('refuses another origin, a sibling subdomain, another scheme and an opaque origin', () => {
    expect(crossSiteReason(headers({ origin: 'https://evil.example' }), base)).toMatch(/evil\.example/);
    expect(crossSiteReason(headers({ origin: 'https://other.kassa.example' }), base)).not.toBeNull();
    expect(crossSiteReason(headers({ origin: 'http://kassa.example' }), base)).not.toBeNull();
    expect(crossSiteReason(headers({ origin: 'null' }), base)).toMatch(/opaque/);
  });

  it('falls back on Sec-Fetch-Site without an Origin', () => {
    expect(crossSiteReason(headers({ 'sec-fetch-site': 'same-origin' }), base)).toBeNull();
    expect(crossSiteReason(headers({ 'sec-fetch-site': 'same-site' }), base)).not.toBeNull();
    expect(crossSiteReason(headers({ 'sec-fetch-site': 'cross-site' }), base)).not.toBeNull();
  });

  it('lets Origin decide over Sec-Fetch-Site', () => {
    expect(crossSiteReason(headers({ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }), base)).not.toBeNull();
  });

  it('refuses a request that names neither', () => {
    expect(crossSiteReason(headers({}), base)).toMatch(/no Origin/);
  });
});

describe('changesState', () => {
  it('checks every method but GET, HEAD and OPTIONS', () => {
    for (const m of ['GET', 'head', 'OPTIONS']) expect(changesState(m)).toBe(false);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) expect(changesState(m)).toBe(true);
  });
});
