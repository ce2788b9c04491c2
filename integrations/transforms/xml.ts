/**
 * A small strict XML reader and writer for the bank and e-invoice formats (camt.054, pain.001,
 * Finvoice). No XML library is installed, and these formats need only a subset: elements,
 * attributes, text, CDATA, comments and processing instructions (skipped), the five predefined
 * entities and numeric character references. Namespaces are not resolved: callers match on the
 * local name, because banks differ in prefixes and versions but not in element names.
 *
 * DOCTYPE is refused: a bank file never needs one, and entity definitions are the classic way
 * to make a parser expand or leak data.
 *
 * Every error is a TransformError naming the line and element, for the person who has to look at
 * the file.
 */
import { TransformError } from './errors';

export interface XmlElement {
  /** The name as written, with any prefix: 'eb:From'. */
  name: string;
  /** The name without prefix: 'From'. */
  localName: string;
  /** Attributes by the name as written (prefix included), values with entities decoded. */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The character data directly inside this element (not its children's), entities decoded. */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
}

export interface ParseXmlOptions {
  /** Names the format in errors, e.g. 'camt.054'. */
  format?: string;
  /**
   * Called as each element closes, with its parent (undefined for a root). Returning true drops
   * the element from its parent's children: a caller that handles a repeated element (camt.054's
   * entries) as it closes keeps memory flat instead of holding the whole tree of a large file.
   */
  onClose?: (element: XmlElement, parent: XmlElement | undefined) => boolean;
}

/** Parses a document with exactly one root element. */
export function parseXml(xml: string, options: ParseXmlOptions = {}): XmlElement {
  const roots = new XmlReader(xml, options.format ?? 'xml', options.onClose).read();
  if (roots.length !== 1) {
    const second = roots[1]!;
    throw new TransformError(`a second root element <${second.name}> follows <${roots[0]!.name}>; a document has one root`, {
      format: options.format ?? 'xml',
      line: second.line,
      element: second.localName,
    });
  }
  return roots[0]!;
}

/**
 * Parses one or more top-level elements in a row, as in a Finvoice transmission file where each
 * invoice follows its SOAP envelope.
 */
export function parseXmlSequence(xml: string, options: ParseXmlOptions = {}): XmlElement[] {
  return new XmlReader(xml, options.format ?? 'xml').read();
}

// ---------------------------------------------------------------------------------------------
// Navigation helpers (by local name)

/** The first child element with this local name. */
export function child(element: XmlElement, localName: string): XmlElement | undefined {
  return element.children.find((c) => c.localName === localName);
}

/** All child elements with this local name. */
export function children(element: XmlElement, localName: string): XmlElement[] {
  return element.children.filter((c) => c.localName === localName);
}

/** Follows a path of local names through first matches: path(ntry, 'BookgDt', 'Dt'). */
export function path(element: XmlElement, ...localNames: string[]): XmlElement | undefined {
  let current: XmlElement | undefined = element;
  for (const name of localNames) {
    if (current === undefined) return undefined;
    current = child(current, name);
  }
  return current;
}

/** An attribute by local name (the prefix, if any, is ignored). */
export function attribute(element: XmlElement, localName: string): string | undefined {
  for (const [name, value] of Object.entries(element.attributes)) {
    if (localPart(name) === localName) return value;
  }
  return undefined;
}

/** The element's own text with surrounding whitespace removed. */
export function textOf(element: XmlElement): string {
  return element.text.trim();
}

/** All elements below `element` (depth first) with this local name. */
export function descendants(element: XmlElement, localName: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.localName === localName) found.push(c);
      visit(c);
    }
  };
  visit(element);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Writer

export interface XmlNode {
  name: string;
  attributes?: Record<string, string>;
  /** Either text or child elements; null/undefined/false children are left out (optional parts). */
  text?: string;
  children?: (XmlNode | null | undefined | false)[];
}

/** An element node: `content` is its text, or its children. */
export function el(
  name: string,
  content?: string | number | (XmlNode | null | undefined | false)[],
  attributes?: Record<string, string>,
): XmlNode {
  const node: XmlNode = { name };
  if (attributes !== undefined) node.attributes = attributes;
  if (Array.isArray(content)) node.children = content;
  else if (content !== undefined) node.text = String(content);
  return node;
}

/** Escapes text or an attribute value (quotes included, so one function serves both). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/**
 * Renders a tree with two-space indentation. Characters XML 1.0 cannot carry (most control
 * characters) throw a TransformError naming the element, since no escaping can send them.
 */
export function renderXml(root: XmlNode, options: { format: string; declaration?: boolean }): string {
  const out: string[] = [];
  if (options.declaration !== false) out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  renderNode(root, 0, options.format, out);
  return out.join('');
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function renderNode(node: XmlNode, depth: number, format: string, out: string[]): void {
  const indent = '  '.repeat(depth);
  let attrs = '';
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    attrs += ` ${name}="${escapeXml(checkChars(value, node.name, format))}"`;
  }
  const kids = (node.children ?? []).filter((c): c is XmlNode => Boolean(c));
  if (kids.length > 0) {
    out.push(`${indent}<${node.name}${attrs}>\n`);
    for (const kid of kids) renderNode(kid, depth + 1, format, out);
    out.push(`${indent}</${node.name}>\n`);
  } else if (node.text !== undefined && node.text !== '') {
    out.push(`${indent}<${node.name}${attrs}>${escapeXml(checkChars(node.text, node.name, format))}</${node.name}>\n`);
  } else {
    out.push(`${indent}<${node.name}${attrs}/>\n`);
  }
}

// Everything outside XML 1.0's Char production; \uD800-\uDFFF pairs are fine as UTF-16 input.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkChars(s: string, element: string, format: string): string {
  const match = NOT_XML_CHAR.exec(s);
  if (match) {
    const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new TransformError(`character U+${code} cannot be written in XML; remove it from the value`, {
      format,
      line: null,
      element: localPart(element),
    });
  }
  return s;
}

function localPart(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

// ---------------------------------------------------------------------------------------------
// Reader

const NAME = /[A-Za-z_:\u00C0-\uFFFF][\w.:\u00B7\u00C0-\uFFFF-]*/y;

class XmlReader {
  private readonly src: string;
  private pos = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    input: string,
    private readonly format: string,
    private readonly onClose?: ParseXmlOptions['onClose'],
  ) {
    // XML treats CR LF and lone CR as LF; doing it first keeps line numbers right.
    this.src = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    for (let i = 0; i < this.src.length; i++) if (this.src[i] === '\n') this.lineStarts.push(i + 1);
    const bad = NOT_XML_CHAR.exec(this.src);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      this.fail(`character U+${code} is not allowed in XML`, null, bad.index);
    }
  }

  read(): XmlElement[] {
    const roots: XmlElement[] = [];
    if (this.src.startsWith('<?xml')) this.skipPi();
    for (;;) {
      this.skipMisc();
      if (this.pos >= this.src.length) break;
      if (this.src.startsWith('<!DOCTYPE', this.pos)) {
        this.fail('DOCTYPE declarations are not accepted; bank files do not need them', null);
      }
      if (this.src[this.pos] !== '<' || this.src[this.pos + 1] === '/') {
        const snippet = this.src.slice(this.pos, this.pos + 20).split('\n')[0];
        this.fail(`unexpected "${snippet}" outside the root element`, roots.at(-1)?.localName ?? null);
      }
      roots.push(this.readElement());
    }
    if (roots.length === 0) this.fail('the document has no root element (is the file empty?)', null);
    return roots;
  }

  /** Reads one element and everything inside it, iteratively so deep nesting cannot overflow. */
  private readElement(): XmlElement {
    const stack: XmlElement[] = [];
    let root: XmlElement | undefined;
    for (;;) {
      const parent = stack.at(-1);
      if (parent === undefined && root !== undefined) return root;
      if (parent !== undefined) this.readText(parent);
      if (this.pos >= this.src.length) {
        const open = stack.at(-1)!;
        this.fail(`<${open.name}> opened on line ${open.line} is never closed (the document ends first)`, open.localName, this.src.length);
      }
      if (this.src.startsWith('</', this.pos)) {
        this.readEndTag(stack);
        continue;
      }
      if (this.src.startsWith('<!--', this.pos)) {
        this.skipComment();
        continue;
      }
      if (this.src.startsWith('<![CDATA[', this.pos)) {
        const end = this.src.indexOf(']]>', this.pos + 9);
        if (end === -1) this.fail('CDATA section is never closed', parent?.localName ?? null);
        parent!.text += this.src.slice(this.pos + 9, end);
        this.pos = end + 3;
        continue;
      }
      if (this.src.startsWith('<?', this.pos)) {
        this.skipPi();
        continue;
      }
      if (this.src.startsWith('<!', this.pos)) this.fail('DOCTYPE and other declarations are not accepted', parent?.localName ?? null);
      const { element, selfClosing } = this.readStartTag();
      if (parent !== undefined) parent.children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
      else this.closed(element, parent);
    }
  }

  private readStartTag(): { element: XmlElement; selfClosing: boolean } {
    const start = this.pos;
    this.pos++; // '<'
    const name = this.readName('an element name after "<"', null);
    const element: XmlElement = { name, localName: localPart(name), attributes: {}, children: [], text: '', line: this.lineAt(start) };
    for (;;) {
      const hadSpace = this.skipSpace();
      if (this.src.startsWith('/>', this.pos)) {
        this.pos += 2;
        return { element, selfClosing: true };
      }
      if (this.src[this.pos] === '>') {
        this.pos++;
        return { element, selfClosing: false };
      }
      if (this.pos >= this.src.length) this.fail(`start tag <${name} is not closed with ">"`, element.localName, start);
      if (!hadSpace) this.fail(`expected whitespace, ">" or "/>" in start tag <${name}>, found "${this.src[this.pos]}"`, element.localName);
      const attrName = this.readName(`an attribute name or ">" in <${name}>`, element.localName);
      this.skipSpace();
      if (this.src[this.pos] !== '=') this.fail(`attribute ${attrName} has no value (expected ="…")`, element.localName);
      this.pos++;
      this.skipSpace();
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`the value of attribute ${attrName} must be in quotes`, element.localName);
      const end = this.src.indexOf(quote, this.pos + 1);
      if (end === -1) this.fail(`the value of attribute ${attrName} is never closed`, element.localName);
      const raw = this.src.slice(this.pos + 1, end);
      if (raw.includes('<')) this.fail(`the value of attribute ${attrName} contains "<"`, element.localName);
      if (Object.hasOwn(element.attributes, attrName)) this.fail(`attribute ${attrName} appears twice`, element.localName);
      // Attribute-value normalisation: literal tabs and newlines read as spaces.
      element.attributes[attrName] = this.decode(raw.replace(/[\t\n]/g, ' '), element.localName, this.pos + 1);
      this.pos = end + 1;
    }
  }

  private readEndTag(stack: XmlElement[]): void {
    const start = this.pos;
    this.pos += 2;
    const open = stack.at(-1);
    const name = this.readName('an element name after "</"', open?.localName ?? null);
    this.skipSpace();
    if (this.src[this.pos] !== '>') this.fail(`end tag </${name} is not closed with ">"`, localPart(name), start);
    this.pos++;
    if (open === undefined) this.fail(`end tag </${name}> has no matching start tag`, localPart(name), start);
    if (open.name !== name) {
      this.fail(`<${open.name}> opened on line ${open.line} is not closed: found </${name}> where </${open.name}> was expected`, open.localName, start);
    }
    stack.pop();
    this.closed(open, stack.at(-1));
  }

  private closed(element: XmlElement, parent: XmlElement | undefined): void {
    // The element just closed is its parent's last child.
    if (this.onClose?.(element, parent) && parent !== undefined) parent.children.pop();
  }

  /** Character data up to the next '<', appended to `parent.text`. */
  private readText(parent: XmlElement): void {
    const next = this.src.indexOf('<', this.pos);
    const end = next === -1 ? this.src.length : next;
    if (end > this.pos) {
      const raw = this.src.slice(this.pos, end);
      if (raw.includes(']]>')) this.fail('"]]>" is not allowed in text', parent.localName, this.pos + raw.indexOf(']]>'));
      parent.text += this.decode(raw, parent.localName, this.pos);
      this.pos = end;
    }
  }

  private decode(raw: string, element: string, offset: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&\s<]{0,12});?/g, (whole, body: string, at: number) => {
      const fail = (why: string): never => this.fail(why, element, offset + at);
      if (!whole.endsWith(';')) fail(`"&" must start an entity such as &amp; (found "${whole}")`);
      const named = NAMED_ENTITIES[body];
      if (named !== undefined) return named;
      const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|(\d{1,7}))$/.exec(body);
      if (!numeric) fail(`unknown entity "&${body};" (only &amp; &lt; &gt; &quot; &apos; and numeric references are allowed)`);
      const code = numeric![1] !== undefined ? parseInt(numeric![1], 16) : Number(numeric![2]);
      const ok = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
      if (!ok) fail(`character reference "&${body};" is not an allowed XML character`);
      return String.fromCodePoint(code);
    });
  }

  private readName(what: string, element: string | null): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.src);
    if (!match) {
      const found = this.pos >= this.src.length ? 'the end of the document' : `"${this.src[this.pos]}"`;
      this.fail(`expected ${what}, found ${found}`, element);
    }
    this.pos += match![0].length;
    return match![0];
  }

  private skipSpace(): boolean {
    const start = this.pos;
    while (this.pos < this.src.length && ' \t\n'.includes(this.src[this.pos]!)) this.pos++;
    return this.pos > start;
  }

  /** Whitespace, comments and processing instructions between top-level elements. */
  private skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.src.startsWith('<!--', this.pos)) this.skipComment();
      else if (this.src.startsWith('<?', this.pos)) this.skipPi();
      else return;
    }
  }

  private skipComment(): void {
    const end = this.src.indexOf('-->', this.pos + 4);
    if (end === -1) this.fail('comment "<!--" is never closed', null);
    this.pos = end + 3;
  }

  private skipPi(): void {
    const end = this.src.indexOf('?>', this.pos + 2);
    if (end === -1) this.fail('processing instruction "<?" is never closed', null);
    this.pos = end + 2;
  }

  private lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private fail(detail: string, element: string | null, offset: number = this.pos): never {
    throw new TransformError(detail, { format: this.format, line: this.lineAt(offset), element });
  }
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
