import { MalformedRequestError } from './types.js';

/** What an XML element becomes: text, null (`nil="true"`), a list (`type="array"`) or an object of children. */
export type XmlValue = string | boolean | null | XmlValue[] | { [name: string]: XmlValue };

interface Element {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: Element[];
  text: string;
}

const MAX_DEPTH = 32;
const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Only the five predefined entities and character references; nothing a document could define itself. */
function decode(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (_m, e: string) => {
    if (e[0] !== '#') return entities[e]!;
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) out[m[1]!] = decode(m[2]!);
  return out;
}

function toValue(e: Element): XmlValue {
  if (e.attrs['nil'] === 'true') return null;
  if (e.attrs['type'] === 'array') return e.children.map(toValue);
  if (e.children.length === 0) {
    const text = decode(e.text.trim());
    return e.attrs['type'] === 'boolean' ? text === 'true' : text;
  }
  const out: Record<string, XmlValue> = {};
  // Dashed names (`merchant-account-id`) become underscored so templates can use them as paths.
  for (const child of e.children) out[child.name.replace(/-/g, '_')] = toValue(child);
  return out;
}

/**
 * A small parser for Braintree's notification XML: elements, attributes and text, nothing more.
 * Declarations (`<!DOCTYPE`, `<!ENTITY`), CDATA and comments are refused rather than interpreted, so
 * no entity can be expanded and no external resource named.
 */
export function parseBraintreeXml(xml: string): { name: string; value: XmlValue } {
  if (xml.includes('<!')) throw new MalformedRequestError('notification XML must not contain declarations, CDATA or comments');
  const root: Element = { name: '', attrs: {}, children: [], text: '' };
  const stack: Element[] = [root];
  for (const m of xml.replace(/^\s*<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z_][\w.-]*)([^<>]*?)(\/?)>|([^<]+)|(<)/g)) {
    const [, close, name, attrs, selfClosing, text, stray] = m;
    const top = stack[stack.length - 1]!;
    if (stray !== undefined) throw new MalformedRequestError('notification XML is not well-formed');
    if (text !== undefined) {
      top.text += text;
    } else if (close) {
      if (top.name !== name || stack.length === 1) throw new MalformedRequestError(`notification XML closes <${name}> out of order`);
      stack.pop();
    } else {
      const element: Element = { name: name!, attrs: attributes(attrs ?? ''), children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
      if (stack.length > MAX_DEPTH) throw new MalformedRequestError('notification XML is nested too deeply');
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new MalformedRequestError('notification XML is not one complete element');
  const top = root.children[0]!;
  return { name: top.name, value: toValue(top) };
}
