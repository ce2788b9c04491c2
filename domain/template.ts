const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/** Names of the {{placeholders}} in a template, each once, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] ?? ''))];
}

/**
 * Fills {{placeholders}} in one pass, so a value that itself contains {{…}} is left as written.
 * Values are inserted verbatim: the templates are plain text, and escaping belongs to whatever
 * renders them as HTML. A letter with a hole in it must never be sent, so a placeholder without a
 * value throws; extra values are ignored.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  const missing = templatePlaceholders(template).filter((name) => typeof values[name] !== 'string');
  if (missing.length > 0) {
    throw new Error(`template placeholders without a value: ${missing.map((n) => `{{${n}}}`).join(', ')}`);
  }
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
}
