/**
 * Reading and writing the bank and e-invoice formats (camt.054, pain.001, Finvoice). Reading is
 * done by saxes, a maintained streaming parser that checks well-formedness; this module builds a
 * small tree from its events. Namespaces are not resolved: callers match on the local name,
 * because banks differ in prefixes and versions but not in element names.
 *
 * DOCTYPE is refused: a bank file never needs one, and entity definitions are the classic way
 * to make a parser expand or leak data. saxes itself never expands entities other than the five
 * predefined ones and character references.
 *
 * Every error is a TransformError naming the line and element, for the person who has to look at
 * the file.
 */
import { SaxesParser } from 'saxes';
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
  // The reader refuses a second root and an empty document, so there is exactly one.
  return new XmlReader(xml, options.format ?? 'xml', true, options.onClose).read()[0]!;
}

/**
 * Parses one or more top-level elements in a row, as in a Finvoice transmission file where each
 * invoice follows its SOAP envelope.
 */
export function parseXmlSequence(xml: string, options: ParseXmlOptions = {}): XmlElement[] {
  return new XmlReader(xml, options.format ?? 'xml', false).read();
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
    throw new TransformError(`character U+${hex(match[0].charCodeAt(0))} cannot be written in XML; remove it from the value`, {
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
// Reader: saxes does the parsing; this builds the tree and words saxes's errors for a person.

/** An entity reference XML allows; any other "&" is an error. */
const BAD_AMPERSAND = /&(?!(?:[A-Za-z_:][\w.:\u00B7\u00C0-\uFFFF-]*|#\d+|#x[\dA-Fa-f]+);)/g;

class XmlReader {
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly roots: XmlElement[] = [];
  private readonly stack: XmlElement[] = [];
  /** The element whose start tag is being read: its name is known, its ">" not yet seen. */
  private opening: XmlElement | null = null;
  /** The offset just after that start tag's name. */
  private openingAt = 0;
  /**
   * An element whose end tag was read. saxes reports the close before it checks that the end tag
   * matches, so the element goes to onClose only at the next event, once no error came.
   */
  private closed: XmlElement | null = null;

  constructor(
    private readonly src: string,
    private readonly format: string,
    private readonly single: boolean,
    private readonly onClose?: ParseXmlOptions['onClose'],
  ) {}

  read(): XmlElement[] {
    const p = this.parser;
    p.on('error', (error) => this.saxesError(error.message.replace(/^\d+:\d+: /, '')));
    p.on('doctype', () => this.refuseDoctype(this.src.lastIndexOf('<!DOCTYPE', p.position)));
    p.on('opentagstart', (tag) => {
      this.settle();
      if (this.single && this.stack.length === 0 && this.roots.length > 0) {
        const first = this.roots[0]!;
        this.fail(`a second root element <${tag.name}> follows <${first.name}>; a document has one root`, localPart(tag.name));
      }
      this.opening = { name: tag.name, localName: localPart(tag.name), attributes: {}, children: [], text: '', line: p.line };
      this.openingAt = p.position;
    });
    p.on('opentag', (tag) => {
      const element = this.opening!;
      this.opening = null;
      element.attributes = tag.attributes;
      const parent = this.stack.at(-1);
      if (parent !== undefined) parent.children.push(element);
      else this.roots.push(element);
      this.stack.push(element);
    });
    const text = (data: string): void => {
      this.settle();
      const parent = this.stack.at(-1);
      if (parent !== undefined) parent.text += data;
    };
    p.on('text', text);
    p.on('cdata', text);
    p.on('closetag', () => {
      this.settle();
      this.closed = this.stack.pop()!;
    });
    p.write(this.src);
    this.settle();
    p.close();
    this.settle();
    return this.roots;
  }

  private settle(): void {
    const element = this.closed;
    if (element === null) return;
    this.closed = null;
    const parent = this.stack.at(-1);
    // The element just closed is its parent's last child.
    if (this.onClose?.(element, parent) && parent !== undefined && parent.children.at(-1) === element) parent.children.pop();
  }

  /** Turns a saxes error into a TransformError with the facts a person needs; returns only for errors that are not ours. */
  private saxesError(message: string): void {
    const p = this.parser;
    const pos = p.position;
    const element = this.opening?.localName ?? this.stack.at(-1)?.localName ?? null;
    // A sequence's next root: saxes reports it, the sequence reader wants it. Checked before the scans
    // below, which read the file from its start: once per root they made a batch quadratic.
    if (message === 'documents may contain only one root.') return; // single documents fail in opentagstart

    // A stray "&" makes saxes read on to the next ";" and report something later: name the "&".
    BAD_AMPERSAND.lastIndex = 0;
    const amp = BAD_AMPERSAND.exec(this.src);
    if (amp !== null && amp.index < pos) {
      const found = /^&[^<&\r\n]{0,10}/.exec(this.src.slice(amp.index, amp.index + 12))![0];
      this.fail(`"&" must start an entity such as &amp; (found "${found}")`, element, this.lineAt(amp.index));
    }
    if (this.roots.length === 0) {
      const doctype = this.src.indexOf('<!DOCTYPE');
      if (doctype !== -1 && doctype < pos) this.refuseDoctype(doctype);
    }

    if (message === 'unexpected close tag.') {
      const open = this.closed!;
      const start = this.src.lastIndexOf('</', pos);
      const name = /^<\/([^\s>]*)/.exec(this.src.slice(start, start + 200))![1];
      this.fail(`<${open.name}> opened on line ${open.line} is not closed: found </${name}> where </${open.name}> was expected`, open.localName, this.lineAt(start));
    }
    const unmatched = /^unmatched closing tag: (.*)\.$/.exec(message);
    if (unmatched) {
      const where = this.roots.length === 0 ? 'before' : 'after';
      this.fail(`unexpected end tag </${unmatched[1]}> ${where} the root element`, localPart(unmatched[1]!));
    }
    if (message === 'disallowed character in closing tag.') {
      const start = this.src.lastIndexOf('</', pos - 2);
      const name = /^<\/([^\s<>]*)/.exec(this.src.slice(start, start + 200))?.[1] ?? '';
      if (name !== '') this.fail(`end tag </${name} is not closed with ">"`, localPart(name), this.lineAt(start));
      this.fail('expected an element name after "</"', element);
    }
    if (message.startsWith('unclosed tag: ') || message === 'unexpected end.') this.endOfInput();
    if (message === 'document must contain a root element.') this.fail('the document has no root element (is the file empty?)', null);
    if (message === 'text data outside of root node.') {
      let start = pos > 0 ? this.src.lastIndexOf('>', pos - 1) + 1 : 0;
      while (start < pos && /\s/.test(this.src[start]!)) start++;
      const snippet = this.src.slice(start, start + 20).split('\n')[0];
      this.fail(`unexpected "${snippet}" outside the root element`, this.roots.at(-1)?.localName ?? null, this.lineAt(start));
    }

    const duplicate = /^duplicate attribute: (.*)\.$/.exec(message);
    if (duplicate) this.fail(`attribute ${duplicate[1]} appears twice`, element);
    if (message === 'unquoted attribute value.') this.fail(`the value of attribute ${this.attributeAt(pos).name} must be in quotes`, element);
    if (message === 'no whitespace between attributes.') {
      this.fail(`expected whitespace, ">" or "/>" in start tag <${this.opening?.name ?? ''}>, found "${this.src[pos - 1]}"`, element);
    }
    if (message === 'attribute without value.' || message === 'disallowed character in attribute name.') {
      const attribute = this.attributeAt(pos - 1);
      if (attribute.name !== '' && !attribute.hasValue) this.fail(`attribute ${attribute.name} has no value (expected ="…")`, element);
      this.fail(`expected an attribute name or ">" in <${this.opening?.name ?? ''}>, found "${this.src[pos - 1]}"`, element);
    }
    if (message === 'disallowed character.') {
      const code = this.src.codePointAt(pos - 1) ?? 0;
      const low = code >= 0xdc00 && code <= 0xdfff ? this.src.codePointAt(pos - 2) ?? 0 : 0;
      const c = low > 0xffff ? low : code;
      if (!isXmlChar(c)) this.fail(`character U+${hex(c)} is not allowed in XML`, element);
      if (c === 0x3c && this.opening !== null) this.fail(`the value of attribute ${this.attributeAt(pos - 1).name} contains "<"`, element);
      this.fail(`character "${String.fromCodePoint(c)}" is not allowed here`, element);
    }
    if (message === 'undefined entity.' || message === 'malformed character entity.') {
      const entity = this.src.slice(this.src.lastIndexOf('&', pos - 1), pos);
      if (message === 'undefined entity.') this.fail(`unknown entity "${entity}" (only &amp; &lt; &gt; &quot; &apos; and numeric references are allowed)`, element);
      this.fail(`character reference "${entity}" is not an allowed XML character`, element);
    }
    if (message === 'the string "]]>" is disallowed in char data.') this.fail('"]]>" is not allowed in text', element);
    if (message === 'malformed comment.') this.fail('a comment must not contain "--"', element);
    if (message === 'inappropriately located doctype declaration.' || message === 'incorrect syntax.') {
      this.fail('DOCTYPE and other declarations are not accepted', element);
    }
    this.fail(message.replace(/\.$/, ''), element);
  }

  private refuseDoctype(offset: number): never {
    this.fail('DOCTYPE declarations are not accepted; bank files do not need them', null, this.lineAt(offset));
  }

  /** The input ended inside something: name what. */
  private endOfInput(): never {
    const src = this.src;
    if (this.opening !== null) this.fail(`start tag <${this.opening.name} is not closed with ">"`, this.opening.localName, this.opening.line);
    const open = (start: string, end: string): number => {
      const at = src.lastIndexOf(start);
      return at !== -1 && src.indexOf(end, at + start.length) === -1 ? at : -1;
    };
    const element = this.stack.at(-1)?.localName ?? null;
    let at: number;
    if ((at = open('<!--', '-->')) !== -1) this.fail('comment "<!--" is never closed', element, this.lineAt(at));
    if ((at = open('<![CDATA[', ']]>')) !== -1) this.fail('CDATA section is never closed', element, this.lineAt(at));
    if ((at = open('<?', '?>')) !== -1) this.fail('processing instruction "<?" is never closed', element, this.lineAt(at));
    if ((at = open('</', '>')) !== -1) {
      const name = /^<\/([^\s<>]*)/.exec(src.slice(at, at + 200))![1]!;
      this.fail(`end tag </${name} is not closed with ">"`, localPart(name), this.lineAt(at));
    }
    const innermost = this.stack.at(-1);
    if (innermost !== undefined) {
      this.fail(`<${innermost.name}> opened on line ${innermost.line} is never closed (the document ends first)`, innermost.localName);
    }
    this.fail('the document ends in the middle of markup', element);
  }

  /** The last attribute of the start tag being read, up to `end`: its name, and whether "=" followed it. */
  private attributeAt(end: number): { name: string; hasValue: boolean } {
    const tail = this.src.slice(this.openingAt, end);
    let name = '';
    let hasValue = false;
    for (let i = 0; i < tail.length; ) {
      const c = tail[i]!;
      if (/[\s/>]/.test(c)) {
        i++;
        continue;
      }
      if (c === '=') {
        hasValue = true;
        i++;
        while (i < tail.length && /\s/.test(tail[i]!)) i++;
        const quote = tail[i];
        if (quote === '"' || quote === "'") {
          const close = tail.indexOf(quote, i + 1);
          i = close === -1 ? tail.length : close + 1;
        } else {
          while (i < tail.length && !/[\s>]/.test(tail[i]!)) i++;
        }
        continue;
      }
      const start = i;
      while (i < tail.length && !/[\s=/>]/.test(tail[i]!)) i++;
      name = tail.slice(start, i);
      hasValue = false;
    }
    return { name, hasValue };
  }

  /** 1-based line of an offset (CR LF and a lone CR end a line, as saxes counts them). */
  private lineAt(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset; i++) {
      const c = this.src.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && this.src.charCodeAt(i + 1) !== 0x0a)) line++;
    }
    return line;
  }

  private fail(detail: string, element: string | null, line: number = this.parser.line): never {
    throw new TransformError(detail, { format: this.format, line, element });
  }
}

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
