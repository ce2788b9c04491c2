import { describe, expect, it } from 'vitest';
import { taskKindRoles } from '../../../domain/taskGroups';
import { has, languages, t } from '../../../web/lib/i18n';
import { kindsFor, taskKinds } from '../../../web/lib/tasks';

describe('the kinds of task in the work queue', () => {
  it('offers every kind a process opens to the role that works it', () => {
    expect(kindsFor(['billing'])).toEqual(expect.arrayContaining(['journal-mismatch', 'union-remittance-mismatch', 'tax-record-rejected', 'unmatched-payment']));
    expect(kindsFor(['billing'])).not.toContain('expulsion-decision');
    expect(kindsFor(['caseworker'])).toEqual(expect.arrayContaining(['application-review', 'expulsion-decision', 'expulsion-confirmation', 'expulsion-reconsideration']));
    expect(kindsFor(['caseworker'])).not.toContain('billing-approval');
    expect(kindsFor(['supervisor'])).toEqual(kindsFor(['caseworker']));
    expect(kindsFor(['auditor'])).toEqual([]);
    expect(new Set([...kindsFor(['caseworker']), ...kindsFor(['billing'])])).toEqual(new Set(Object.keys(taskKindRoles)));
  });

  it('names every kind in Finnish, Swedish and English', () => {
    for (const kind of taskKinds) {
      const key = `queue.kind.${kind}`;
      expect(has(key), key).toBe(true);
      if (!has(key)) continue;
      for (const lang of languages) expect(t(lang, key), `${lang} ${key}`).not.toBe(key);
    }
  });
});
