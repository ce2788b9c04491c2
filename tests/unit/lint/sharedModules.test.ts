import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * Workflow and domain modules are preloaded once per workflow thread and shared by every workflow
 * it runs (decision 037); eslint.config.js refuses module-level state in them. Each case lints a
 * snippet as if it stood in that folder, so a rule that stops biting fails here.
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-unused-vars': 'off', 'prefer-const': 'off' },
  },
});

async function stateErrors(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax' && m.message.includes('decision 037')).length;
}

describe('shared workflow modules keep no module-level state', () => {
  it.each([
    ['workflows/x.ts', 'let calls = 0;'],
    ['workflows/definitions/x.ts', 'export let current = null;'],
    ['domain/x.ts', 'var seen = 0;'],
    ['domain/billing/x.ts', 'const cache = new Map<string, number>();'],
    ['domain/x.ts', 'export const seen = new Set<string>();'],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await stateErrors(file, code)).toBe(1);
  });

  it.each([
    ['workflows/x.ts', 'export function f() { let n = 0; const m = new Map(); return n + m.size; }'],
    ['domain/x.ts', "export const names = ['a', 'b'] as const;"],
    ['services/x.ts', 'const cache = new Map<string, number>();'],
  ])('allows in %s: %s', async (file, code) => {
    expect(await stateErrors(file, code)).toBe(0);
  });
});
