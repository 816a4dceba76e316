import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** One regular expression written in the sources: a literal, or a `RegExp(...)` call's arguments. */
export interface RegexSite {
  /** `src/analyze/mcp/embedded.ts:21`. */
  where: string;
  /** The pattern, when it is written as a literal; undefined when it is built at run time. */
  source?: string;
  flags: string;
}

const ROOT = new URL("../../", import.meta.url).pathname;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

function literalText(node: ts.Expression | undefined): string | undefined {
  if (node === undefined) return "";
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** Every regex literal and `RegExp(...)`/`new RegExp(...)` call in the TypeScript files under `dir`. */
export function regexSites(dir = join(ROOT, "src")): RegexSite[] {
  const sites: RegexSite[] = [];
  for (const file of tsFiles(dir)) {
    const text = readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) =>
      `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = (node as ts.RegularExpressionLiteral).text;
        const end = literal.lastIndexOf("/");
        sites.push({ where: where(node), source: literal.slice(1, end), flags: literal.slice(end + 1) });
      } else if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === "RegExp"
      ) {
        const [pattern, flags] = node.arguments ?? [];
        const patternText = literalText(pattern);
        sites.push({
          where: where(node),
          ...(patternText !== undefined ? { source: patternText } : {}),
          flags: literalText(flags) ?? "",
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sites;
}
