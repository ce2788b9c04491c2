import { describe, expect, it } from 'vitest';
import { CaseManagementUnavailableError } from '../../../integrations/adapters/caseManagement';
import { FakeCaseManagement } from '../../../integrations/adapters/caseManagement/fakeCaseManagement';

const doc = (key: string) => ({ key, kind: 'expulsion-decision' as const, memberId: 'm1', title: 'Päätös', language: 'fi' as const, contentType: 'application/pdf' as const, bytes: new Uint8Array([0x25, 0x50, 0x44, 0x46]) });

describe('the fake case-management system', () => {
  it('files a document once per key and returns it by id', async () => {
    const cm = new FakeCaseManagement();
    const first = await cm.archiveDocument(doc('expulsion-decision/h1'));
    const again = await cm.archiveDocument(doc('expulsion-decision/h1'));
    const other = await cm.archiveDocument(doc('expulsion-decision/h2'));
    expect(again.documentId).toBe(first.documentId);
    expect(other.documentId).not.toBe(first.documentId);
    expect((await cm.getDocument(first.documentId))?.title).toBe('Päätös');
    expect(await cm.getDocument('ASIA-nope')).toBeNull();
    expect(cm.documentsOf('m1')).toHaveLength(2);
  });

  it('fails as unavailable at the configured rate', async () => {
    const cm = new FakeCaseManagement({ unavailableRate: 1 });
    await expect(cm.archiveDocument(doc('k'))).rejects.toBeInstanceOf(CaseManagementUnavailableError);
  });
});
