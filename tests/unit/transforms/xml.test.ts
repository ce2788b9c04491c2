import { describe, expect, it } from 'vitest';
import { TransformError } from '../../../integrations/transforms/errors';
import {
  attribute,
  child,
  children,
  descendants,
  el,
  escapeXml,
  parseXml,
  parseXmlSequence,
  path,
  renderXml,
  textOf,
} from '../../../integrations/transforms/xml';

/** The TransformError `fn` throws. */
function errorOf(fn: () => unknown): TransformError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TransformError);
    return error as TransformError;
  }
  throw new Error('expected a TransformError');
}

describe('XML reader', () => {
  it('reads elements, attributes, text and line numbers', () => {
    const doc = parseXml('<?xml version="1.0"?>\n<a x="1" y=\'two\'>\n  <b>hello</b>\n  <b/>\n  <c>  spaced  </c>\n</a>\n');
    expect(doc.name).toBe('a');
    expect(doc.line).toBe(2);
    expect(doc.attributes).toEqual({ x: '1', y: 'two' });
    expect(children(doc, 'b')).toHaveLength(2);
    expect(child(doc, 'b')!.text).toBe('hello');
    expect(child(doc, 'b')!.line).toBe(3);
    expect(children(doc, 'b')[1]!.line).toBe(4);
    expect(textOf(child(doc, 'c')!)).toBe('spaced');
    expect(child(doc, 'missing')).toBeUndefined();
  });

  it('matches elements and attributes by local name, ignoring prefixes', () => {
    const doc = parseXml('<ns:Doc xmlns:ns="urn:x"><ns:A><ns:B ns:k="v">1</ns:B></ns:A></ns:Doc>');
    expect(doc.localName).toBe('Doc');
    const b = path(doc, 'A', 'B')!;
    expect(b.name).toBe('ns:B');
    expect(textOf(b)).toBe('1');
    expect(attribute(b, 'k')).toBe('v');
    expect(descendants(doc, 'B')).toHaveLength(1);
  });

  it('decodes the predefined entities and numeric references', () => {
    const doc = parseXml('<a t="&quot;x&quot; &amp; &apos;y&apos;">&lt;&gt;&amp;&#228;&#xE4;&#x1F600;</a>');
    expect(doc.text).toBe('<>&ää😀');
    expect(doc.attributes.t).toBe('"x" & \'y\'');
  });

  it('keeps CDATA as text and skips comments and processing instructions', () => {
    const doc = parseXml('<!-- head --><a><!-- inside --><?pi data?><![CDATA[<raw> & stuff]]></a><!-- tail -->');
    expect(doc.text).toBe('<raw> & stuff');
    expect(doc.children).toEqual([]);
  });

  it('counts lines across CRLF and a byte-order mark', () => {
    const doc = parseXml('\uFEFF<a>\r\n<b/>\r\n<c/>\r\n</a>');
    expect(child(doc, 'c')!.line).toBe(3);
  });

  it('normalises tabs and newlines in attribute values', () => {
    expect(parseXml('<a v="x\ty\nz"/>').attributes.v).toBe('x y z');
  });

  it('reads a sequence of top-level elements', () => {
    const roots = parseXmlSequence('<?xml version="1.0"?>\n<a/>\n<b>1</b>\n');
    expect(roots.map((r) => r.name)).toEqual(['a', 'b']);
    expect(() => parseXml('<a/><b/>')).toThrow(/second root element <b>/);
  });

  it('handles deep nesting without recursion', () => {
    const depth = 20_000;
    const doc = parseXml('<n>'.repeat(depth) + 'x' + '</n>'.repeat(depth));
    let node = doc;
    for (let i = 1; i < depth; i++) node = node.children[0]!;
    expect(node.text).toBe('x');
  });

  describe('errors name the line and element', () => {
    it('an unclosed element at the end of the document', () => {
      const error = errorOf(() => parseXml('<a>\n  <b>\n    <c>text</c>\n'));
      expect(error.element).toBe('b');
      expect(error.message).toMatch(/<b> opened on line 2 is never closed/);
    });

    it('a wrong end tag', () => {
      const error = errorOf(() => parseXml('<a>\n<b>\n</a>'));
      expect(error.line).toBe(3);
      expect(error.element).toBe('b');
      expect(error.message).toBe('line 3, <b>: <b> opened on line 2 is not closed: found </a> where </b> was expected');
    });

    it('lines counted across CR LF and lone CR in errors too', () => {
      const error = errorOf(() => parseXml('<a>\r\n<b>\r</a>'));
      expect(error.line).toBe(3);
      expect(error.message).toMatch(/<b> opened on line 2 is not closed/);
      expect(errorOf(() => parseXml('<a>\r\n\r\n<b>1</b\r\n</a>')).line).toBe(3);
    });

    it('an end tag without ">"', () => {
      const error = errorOf(() => parseXml('<a>\n<b>1</b\n</a>'));
      expect(error.message).toMatch(/line 2, <b>: end tag <\/b is not closed/);
    });

    it('a start tag cut short', () => {
      expect(errorOf(() => parseXml('<a><b x="1"')).message).toMatch(/start tag <b is not closed/);
    });

    it('bad attributes', () => {
      expect(errorOf(() => parseXml('<a x="1" x="2"/>')).message).toMatch(/attribute x appears twice/);
      expect(errorOf(() => parseXml('<a x=1/>')).message).toMatch(/must be in quotes/);
      expect(errorOf(() => parseXml('<a x="1"y="2"/>')).message).toMatch(/expected whitespace/);
      expect(errorOf(() => parseXml('<a x/>')).message).toMatch(/has no value/);
      expect(errorOf(() => parseXml('<a x="<"/>')).message).toMatch(/contains "<"/);
    });

    it('bad entities', () => {
      expect(errorOf(() => parseXml('<a>\n&nbsp;</a>')).message).toMatch(/line 2, <a>: unknown entity "&nbsp;"/);
      expect(errorOf(() => parseXml('<a>Smith & Co</a>')).message).toMatch(/"&" must start an entity/);
      expect(errorOf(() => parseXml('<a>&#1;</a>')).message).toMatch(/not an allowed XML character/);
    });

    it('DOCTYPE, junk and empty input', () => {
      expect(errorOf(() => parseXml('<!DOCTYPE a [<!ENTITY x "y">]><a/>')).message).toMatch(/DOCTYPE/);
      expect(errorOf(() => parseXml('hello')).message).toMatch(/unexpected "hello" outside the root/);
      expect(errorOf(() => parseXml('<a/>trailing')).message).toMatch(/unexpected "trailing"/);
      expect(errorOf(() => parseXml('   ')).message).toMatch(/no root element/);
      expect(errorOf(() => parseXml('</a>')).message).toMatch(/unexpected/);
      expect(errorOf(() => parseXml('<a>\u0001</a>')).message).toMatch(/U\+0001 is not allowed/);
      expect(errorOf(() => parseXml('<a>]]></a>')).message).toMatch(/"]]>" is not allowed/);
      expect(errorOf(() => parseXml('<a><!-- open</a>')).message).toMatch(/comment/);
    });

    it('a stray "&" on its own line, though a ";" follows much later', () => {
      const error = errorOf(() => parseXml('<a>\n<b>Smith & Co</b>\n<c>x</c>\n<d>&amp;</d>\n</a>'));
      expect(error.line).toBe(2);
      expect(error.message).toMatch(/"&" must start an entity such as &amp; \(found "& Co"\)/);
    });

    it('an element closed by a wrong end tag never reaches onClose', () => {
      const closed: string[] = [];
      const error = errorOf(() => parseXml('<a><b><c/></a>', { onClose: (e) => (closed.push(e.name), false) }));
      expect(error.message).toMatch(/<b> opened on line 1 is not closed: found <\/a>/);
      expect(closed).toEqual(['c']);
    });

    it('carries the format', () => {
      expect(errorOf(() => parseXml('<a>', { format: 'camt.054' })).format).toBe('camt.054');
    });
  });
});

describe('entities and DOCTYPE are refused, nothing expanded', () => {
  it('a "billion laughs" DOCTYPE with nested internal entities', () => {
    const lol = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${lol.join('\n')}\n]>\n<lolz>&lol9;</lolz>`;
    const started = performance.now();
    const error = errorOf(() => parseXml(xml, { format: 'camt.054' }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ format: 'camt.054', line: 2, element: null });
    expect(error.message).toBe('line 2: DOCTYPE declarations are not accepted; bank files do not need them');
  });

  it('an external entity pointing at a local file', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Document>&xxe;</Document>';
    const error = errorOf(() => parseXml(xml));
    expect(error.message).toMatch(/DOCTYPE declarations are not accepted/);
    expect(error.message).not.toMatch(/root:/);
  });

  it('an external DTD, a DOCTYPE never closed, a DOCTYPE after the root and a lone ENTITY declaration', () => {
    expect(errorOf(() => parseXml('<!DOCTYPE a SYSTEM "http://example.com/a.dtd"><a/>')).message).toMatch(/DOCTYPE/);
    expect(errorOf(() => parseXml('<!DOCTYPE a [<!ENTITY x "y">')).message).toMatch(/DOCTYPE/);
    expect(errorOf(() => parseXml('<a><!DOCTYPE a></a>')).message).toMatch(/DOCTYPE and other declarations are not accepted/);
    expect(errorOf(() => parseXml('<a><!ENTITY x "y"></a>')).message).toMatch(/declarations are not accepted/);
  });

  it('an entity used without a DOCTYPE is unknown, not looked up', () => {
    expect(errorOf(() => parseXml('<a>&xxe;</a>')).message).toMatch(/unknown entity "&xxe;"/);
  });
});

describe('XML writer', () => {
  it('escapes text and attributes so they read back unchanged', () => {
    const nasty = `Tom & "Jerry" <o'neil> ]]> äö 😀`;
    const xml = renderXml(el('root', [el('v', nasty, { a: nasty }), el('empty'), false, null]), { format: 'xml' });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<root>\n  <v a="')).toBe(true);
    expect(xml).toContain('<empty/>');
    const doc = parseXml(xml);
    expect(child(doc, 'v')!.text).toBe(nasty);
    expect(attribute(child(doc, 'v')!, 'a')).toBe(nasty);
    expect(doc.children).toHaveLength(2);
  });

  it('escapes the five special characters', () => {
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&apos;');
  });

  it('refuses characters XML cannot carry', () => {
    const error = errorOf(() => renderXml(el('root', [el('Nm', 'bell\u0007')]), { format: 'pain.001' }));
    expect(error.message).toBe('<Nm>: character U+0007 cannot be written in XML; remove it from the value');
    expect(error.line).toBeNull();
    expect(() => renderXml(el('a', 'lone \uD800 surrogate'), { format: 'xml' })).toThrow(/U\+D800/);
  });
});

describe('parseXmlSequence at the size of a bank batch', () => {
  it('reads 2,000 roots of 1 KB with entities in linear time (it was quadratic: seconds per hundred roots)', () => {
    const root = (i: number) => `<Invoice n="${i}"><Text>${'Äijälä &amp; Co '.repeat(60)}</Text></Invoice>\n`;
    const xml = Array.from({ length: 2000 }, (_, i) => root(i)).join('');
    const started = performance.now();
    const roots = parseXmlSequence(xml);
    expect(roots).toHaveLength(2000);
    expect(roots[1999]!.attributes.n).toBe('1999');
    // Linear is ~0.2 s here; the quadratic reader took minutes for this input.
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 15_000);
});
