import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One code found in the source: what it is and where, so a missing translation names its origin. */
export interface FoundCode {
  code: string;
  file: string;
  line: number;
}

/**
 * The ways the source answers a problem code: `failure(409, 'code', …)` (and the desk's own `deskProblem(400, 'code', …)`), `notFound(…, 'code')`,
 * `refusal('code', …)` (workflows and activities), `invalid(…, 'code')` / `unprocessable(…, 'code')`
 * (services' field helpers), `helper('snake_code', …)`, `{ code: 'code' }` on a problem, and `code: 'x', message:` (a workflow's
 * refusal options). Codes are snake_case.
 */
const patterns: RegExp[] = [
  /\b(?:failure|deskProblem)\(\s*\d{3}\s*,\s*'([a-z][a-z0-9_]*)'/g,
  /\brefusal\(\s*'([a-z][a-z0-9_]*)'/g,
  /\bnotFound\((?:[^()'`]|'[^']*'|`[^`]*`)*?,\s*'([a-z][a-z0-9_]*)'\s*\)/g,
  /\b(?:invalid|unprocessable)\([^\n]*?,\s*'([a-z][a-z0-9_]*)'\s*(?:,\s*\{[^\n]*\})?\)/g,
  /\bproblem\((?:(?!\bproblem\()[\s\S]){0,600}?\bcode:\s*'([a-z][a-z0-9_]*)'/g,
  /\bproblem:\s*\{[^}]*?\bcode:\s*'([a-z][a-z0-9_]*)'/g,
  /\bcode:\s*'([a-z][a-z0-9_]*)',\s*message:/g,
  /new ApiError\([^\n]*?'([a-z][a-z0-9_]*)'\s*\)/g,
  // A service's own helper that takes the code first (`overLimit('refund_exceeds_credit', …)`); URL and form setters are not codes.
  /\b(?!(?:set|get|append|has|delete)\()[a-zA-Z]+\(\s*'([a-z]+_[a-z0-9_]+)'\s*,/g,
];

/** The codes one source text answers, with their line numbers. */
export function scanCodes(text: string, file = '(text)'): FoundCode[] {
  const found: FoundCode[] = [];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const at = m.index + m[0].lastIndexOf(`'${m[1]}'`);
      found.push({ code: m[1]!, file, line: text.slice(0, at).split('\n').length });
    }
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.(ts|svelte)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** Every code the back end and the desk answer, scanning the given folders under `root`. */
export function scanProject(root: string, folders = ['services', 'integrations/http', 'workflows', 'activities', 'web']): FoundCode[] {
  return folders.flatMap((folder) => filesUnder(join(root, folder)).flatMap((file) => scanCodes(readFileSync(file, 'utf8'), relative(root, file))));
}

/** One missing translation: the dictionary key and the language it is missing in. */
export interface MissingTranslation {
  key: string;
  lang: string;
  from: string;
}

/** Each (key, language) without a non-empty text, naming where the code came from. */
export function missingTranslations(keys: { key: string; from: string }[], dictionaries: Record<string, Record<string, string>>): MissingTranslation[] {
  const missing: MissingTranslation[] = [];
  const seen = new Set<string>();
  for (const { key, from } of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    for (const [lang, dict] of Object.entries(dictionaries)) {
      const text = dict[key];
      if (typeof text !== 'string' || text.trim() === '') missing.push({ key, lang, from });
    }
  }
  return missing;
}
