import { decodeXml } from "./upstream-call.js";

/**
 * A small XML reader for what AWS speaks: answers of query and rest-xml services, and rest-xml request
 * bodies (S3 DeleteObjects, Route 53, CloudFront). Elements, text and the five entities plus numeric
 * ones; attributes are skipped; a DOCTYPE (and so any entity of its own) is refused, never expanded.
 */
export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

const MAX_DEPTH = 64;

export class XmlError extends Error {
  override name = "XmlError";
}

export function parseXml(text: string): XmlNode {
  const root: XmlNode = { name: "", children: [], text: "" };
  const stack: XmlNode[] = [root];
  let at = 0;
  while (at < text.length) {
    const lt = text.indexOf("<", at);
    const top = stack[stack.length - 1] as XmlNode;
    if (lt < 0) {
      if (text.slice(at).trim()) throw new XmlError("text after the last element");
      break;
    }
    if (lt > at) top.text += decodeXml(text.slice(at, lt));
    if (text.startsWith("<?", lt)) {
      at = endOf(text, "?>", lt);
    } else if (text.startsWith("<!--", lt)) {
      at = endOf(text, "-->", lt);
    } else if (text.startsWith("<![CDATA[", lt)) {
      const end = endOf(text, "]]>", lt);
      top.text += text.slice(lt + 9, end - 3);
      at = end;
    } else if (text.startsWith("<!", lt)) {
      throw new XmlError("a DOCTYPE or declaration is not accepted");
    } else if (text.startsWith("</", lt)) {
      const end = endOf(text, ">", lt);
      const name = localName(text.slice(lt + 2, end - 1).trim());
      if (stack.length < 2 || top.name !== name)
        throw new XmlError(`closing </${name}> does not match <${top.name}>`);
      stack.pop();
      at = end;
    } else {
      const end = endOf(text, ">", lt);
      const inner = text.slice(lt + 1, end - 1);
      const selfClosing = inner.endsWith("/");
      const name = /^[^\s/>]+/.exec(inner)?.[0];
      if (!name) throw new XmlError("an element without a name");
      const node: XmlNode = { name: localName(name), children: [], text: "" };
      top.children.push(node);
      if (!selfClosing) {
        if (stack.length > MAX_DEPTH) throw new XmlError(`nested deeper than ${MAX_DEPTH}`);
        stack.push(node);
      }
      at = end;
    }
  }
  if (stack.length !== 1) throw new XmlError(`<${stack[stack.length - 1]?.name}> is not closed`);
  if (root.children.length !== 1) throw new XmlError("not exactly one root element");
  return root.children[0] as XmlNode;
}

function endOf(text: string, close: string, from: number): number {
  const i = text.indexOf(close, from);
  if (i < 0) throw new XmlError(`an unterminated ${text.slice(from, from + 9)}…`);
  return i + close.length;
}

/** `s3:Key` → `Key`: AWS's documents use a default namespace, but a prefix must not hide a member. */
function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The first child of that name, descending along the path. */
export function child(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let at = node;
  for (const name of path) at = at?.children.find((c) => c.name === name);
  return at;
}

/** Every child of that name. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text of the child at the path, or "". */
export function textAt(node: XmlNode | undefined, ...path: string[]): string {
  return child(node, ...path)?.text.trim() ?? "";
}

/** Every node at the end of a path through repeated elements (`reservationSet/item/instancesSet/item`). */
export function all(node: XmlNode | undefined, ...path: string[]): XmlNode[] {
  let level = node ? [node] : [];
  for (const name of path) level = level.flatMap((n) => children(n, name));
  return level;
}
