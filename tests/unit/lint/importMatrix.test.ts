import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The folder import matrix (docs/decisions/006-import-matrix.md) is enforced by eslint.config.js.
 * Each case lints one line of code as if it stood in a file of that folder, so a rule that stops
 * biting fails here, not in a review.
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  // Type-aware rules need real files in the TypeScript project; the import rules do not.
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
});

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const refused: [string, string, string][] = [
  ['domain/x.ts', "import { db } from '../db/client';", 'domain → db'],
  ['domain/billing/x.ts', "import { x } from '../../services/billing';", 'domain → services'],
  ['workflows/x.ts', "import { createBillingActivities } from '../activities/billingRun';", 'workflow → activity value'],
  ['workflows/x.ts', "import { db } from '../db/client';", 'workflow → db'],
  ['workflows/definitions/x.ts', "import { billingRun } from '../billingRun';", 'definitions → workflow code'],
  ['workflows/definitions/x.ts', "import { Client } from '@temporalio/client';", 'definitions → Temporal client'],
  ['activities/x.ts', "import { importPaymentFile } from '../services/payments';", 'activity → service value'],
  ['activities/x.ts', "import { unmatchedPayment } from '../workflows/unmatchedPayment';", 'activity → workflow code'],
  ['activities/x.ts', "import { createApp } from '../integrations/http/app';", 'activity → API'],
  ['services/x.ts', "import { readBankFile } from '../activities/paymentFile';", 'service → activity'],
  ['services/x.ts', "import { billingRun } from '../workflows/billingRun';", 'service → workflow value'],
  ['services/x.ts', "import { FakeBank } from '../integrations/adapters/bank/fakeBank';", 'service → adapter'],
  ['db/repositories/x.ts', "import { withFeeYears } from '../../domain/billing/fees';", 'db → domain rule (value)'],
  ['db/repositories/x.ts', "import { ServiceError } from '../../services/errors';", 'db → services'],
  ['integrations/http/routes/x.ts', "import { invoices } from '../../../db/schema';", 'API → db'],
  ['integrations/http/x.ts', "import { createPaymentActivities } from '../../activities/paymentFile';", 'API → activities'],
  ['integrations/adapters/bank/x.ts', "import { invoices } from '../../../db/schema';", 'adapter → db'],
  ['integrations/transforms/x.ts', "import { FakeBank } from '../adapters/bank/fakeBank';", 'transform → adapter'],
  ['integrations/transforms/dvv/x.ts', "import { createApp } from '../../http/app';", 'transform → API'],
  ['integrations/http/routes/x.ts', "import { FakeBank } from '../../adapters/bank/fakeBank';", 'API → adapter'],
  ['integrations/adapters/dvv/x.ts', "import { createApp } from '../../http/app';", 'adapter → API'],
  ['web/lib/x.ts', "import { invoices } from '../../db/schema';", 'desk → db'],
  ['web/routes/x/+page.server.ts', "import { getOverview } from '../../../services/members';", 'desk → services'],
];

const allowed: [string, string, string][] = [
  ['services/x.ts', "import type { billingRun } from '../workflows/billingRun';", 'service → workflow type (typed start)'],
  ['services/x.ts', "import { billingRunWorkflowId } from '../workflows/definitions/billingRun';", 'service → process definitions'],
  ['activities/x.ts', "import { taskQueueNames } from '../workflows/definitions/taskQueues';", 'activity → process definitions'],
  ['activities/x.ts', "import { invoices } from '../db/schema';", 'activity → db'],
  ['workflows/x.ts', "import { decideUpdate } from './definitions/humanDecision';", 'workflow → its definitions'],
  ['workflows/definitions/x.ts', "import { defineUpdate } from '@temporalio/workflow';\nimport type { InvoiceStatus } from '../../domain/vocabulary';", 'definitions → define* and domain'],
  ['db/repositories/x.ts', "import type { FeeYear } from '../../domain/billing/fees';", 'db → domain type'],
  ['integrations/http/x.ts', "import { getOverview } from '../../services/members';", 'API → services'],
];

// The first case loads ESLint and its configuration: seconds on a busy machine.
const lintTimeoutMs = 60_000;

describe('the folder import matrix', () => {
  it.each(refused)(
    '%s: %s is an error (%s)',
    async (file, code) => {
      expect(await importErrors(file, code)).toHaveLength(1);
    },
    lintTimeoutMs,
  );

  it.each(allowed)(
    '%s: %s is fine (%s)',
    async (file, code) => {
      expect(await importErrors(file, code)).toEqual([]);
    },
    lintTimeoutMs,
  );
});
