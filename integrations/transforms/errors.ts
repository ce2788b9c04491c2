/**
 * The one error type of the transforms, so an adapter can tell "this file is bad" (show it to a
 * person, keep the file) from a bug (retry, alert).
 */

/** Formats whose `element` is an XML element name, printed in angle brackets. */
const XML_FORMATS = new Set(['xml', 'camt.054', 'pain.001', 'finvoice']);

export interface TransformErrorLocation {
  /** 'camt.054', 'ktl', 'pain.001', 'finvoice' or 'xml'. */
  format: string;
  /** 1-based line in the input, or null when building output (there is no input line). */
  line: number | null;
  /** The XML element (local name) or the fixed-width record ('sum record', 'record 3'). */
  element: string | null;
}

export class TransformError extends Error {
  readonly format: string;
  readonly line: number | null;
  readonly element: string | null;
  /** The problem without the location, e.g. 'amount "12,50" is not a decimal number'. */
  readonly detail: string;

  constructor(detail: string, location: TransformErrorLocation) {
    super(describe(detail, location));
    this.name = 'TransformError';
    this.format = location.format;
    this.line = location.line;
    this.element = location.element;
    this.detail = detail;
  }
}

// 'line 42, <Amt>: amount "12,50" is not a decimal number': where first, so a person can open
// the file at that line.
function describe(detail: string, { format, line, element }: TransformErrorLocation): string {
  const where: string[] = [];
  if (line !== null) where.push(`line ${line}`);
  if (element !== null) where.push(XML_FORMATS.has(format) ? `<${element}>` : element);
  return where.length > 0 ? `${where.join(', ')}: ${detail}` : detail;
}
