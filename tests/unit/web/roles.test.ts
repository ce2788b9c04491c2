import { describe, expect, it } from 'vitest';
import { deskAreas, landingFor } from '../../../web/lib/roles';

describe('where each role lands and what its menu offers', () => {
  it('lands each role on its own start page, the first of several by queue, billing, admin, audit', () => {
    expect(landingFor(['caseworker'])).toBe('/queue');
    expect(landingFor(['caseworker', 'supervisor'])).toBe('/queue');
    expect(landingFor(['billing'])).toBe('/billing');
    expect(landingFor(['admin'])).toBe('/admin');
    expect(landingFor(['auditor'])).toBe('/audit');
    expect(landingFor(['auditor', 'admin'])).toBe('/admin');
  });

  it('offers the auditor the audit log only, administrators no work queue, and the union batches to those who work union events', () => {
    const areas = (roles: string[]) => Object.entries(deskAreas).filter(([, may]) => may(roles)).map(([area]) => area);
    expect(areas(['auditor'])).toEqual(['audit']);
    expect(areas(['admin'])).toEqual(['search', 'billing', 'unions', 'collection', 'tax', 'reports', 'admin']);
    expect(areas(['caseworker'])).toEqual(['queue', 'search', 'unions', 'collection']);
    expect(areas(['billing'])).toEqual(['queue', 'search', 'billing', 'payments', 'unions', 'collection', 'tax', 'reports']);
  });
});
