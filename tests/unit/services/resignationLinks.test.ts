import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveResignationLinkSecret, ResignationLinks } from '../../../services/resignationLinks';

const links = new ResignationLinks('a-secret-of-the-fund', 'https://kassa.example');

describe('resignation confirmation links', () => {
  it('name the resignation they were made for', () => {
    const id = randomUUID();
    expect(links.verify(links.token(id))).toBe(id);
    const url = new URL(links.url(id));
    expect(url.origin + url.pathname).toBe('https://kassa.example/resign/confirm');
    expect(links.verify(url.searchParams.get('token')!)).toBe(id);
  });

  it('refuse an altered token, one for another resignation, another secret and garbage', () => {
    const id = randomUUID();
    const token = links.token(id);
    const mac = token.slice(token.indexOf('.') + 1);
    expect(links.verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(links.verify(`${randomUUID()}.${mac}`)).toBeNull();
    expect(new ResignationLinks('another-secret', 'https://kassa.example').verify(token)).toBeNull();
    for (const junk of ['', '.', id, `${id}.`, 'not-a-uuid.abc', `${id}.${mac}.x`]) expect(links.verify(junk)).toBeNull();
  });

  it('derive their own key from another secret, different from it', () => {
    const derived = deriveResignationLinkSecret('supplement-secret');
    expect(derived).not.toBe('supplement-secret');
    expect(derived).toBe(deriveResignationLinkSecret('supplement-secret'));
  });
});
