/**
 * Rules for free text that reaches the register: control characters (NUL breaks PostgreSQL, the
 * others hide in logs and letters), names with markup, and file names from outside.
 */

/** C0 controls except tab, newline and carriage return; DEL; C1 controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Any C0 control (tab and line breaks too), DEL, C1 controls, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

/** True when a one-line value (a name, a code, a file name) holds no control character at all. */
export function isFreeOfControlCharacters(value: string): boolean {
  return !CONTROL_IN_LINE.test(value);
}

/** True when a multi-line value (a note, a reason) holds no control character but tab and line breaks. */
export function isFreeOfControlCharactersMultiline(value: string): boolean {
  return !CONTROL_IN_MULTILINE.test(value);
}

/**
 * A person's name as registers write it: letters (any script, with their marks), spaces, hyphens,
 * apostrophes and full stops ("Anna-Liisa", "O'Neill", "Jr."). Anything else, markup above all,
 * is for a caseworker to look at before it becomes a member's name.
 */
export function isPlainName(name: string): boolean {
  return /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u.test(name.trim());
}

/**
 * A file name from outside (an upload's ?filename=, a bank's SFTP listing) as it may be stored and
 * shown: the last path segment, control characters and the characters that mean something in a
 * path, a shell or a Content-Disposition header replaced by "_", no leading dots, at most `max`
 * characters (the extension kept). Empty when nothing usable is left.
 */
export function sanitizeFileName(name: string, max = 200): string {
  const lastSegment = name.split(/[\\/]/).pop() ?? '';
  let clean = lastSegment
    .normalize('NFC')
    .replace(new RegExp(CONTROL_IN_LINE.source, 'g'), '_')
    .replace(/["*:<>?|;`$]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (clean.length > max) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, max - ext.length) + ext;
  }
  return clean.replace(/^_+$/, '');
}
