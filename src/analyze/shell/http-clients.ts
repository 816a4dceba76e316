import type { HttpAction } from "../../action/schema.js";
import { optionValue, parseArgs } from "./args.js";
import type { Invocation } from "./context.js";
import { delegate } from "./delegates.js";
import type { Handler } from "./dispatch.js";
import { writePaths } from "./filesystem.js";
import { sendsSecrets } from "./persistence.js";
import { resolvePath } from "./state.js";
import { literalWord } from "./words.js";

/** curl options whose value is the request body. */
const CURL_DATA = [
  "-d",
  "--data",
  "--data-raw",
  "--data-binary",
  "--data-urlencode",
  "--json",
  "-F",
  "--form",
];

const CURL_VALUE = new Set([
  "-X",
  "--request",
  ...CURL_DATA,
  "-H",
  "--header",
  "-o",
  "--output",
  "-u",
  "--user",
  "-T",
  "--upload-file",
  "-A",
  "--user-agent",
  "-e",
  "--referer",
  "-b",
  "--cookie",
  "-c",
  "--cookie-jar",
  "-m",
  "--max-time",
  "--connect-timeout",
  "-w",
  "--write-out",
  "--retry",
  "-x",
  "--proxy",
  "--url",
  "-E",
  "--cert",
  "--key",
  "--cacert",
  "--resolve",
]);

function request(
  inv: Invocation,
  method: string,
  urls: string[],
  headers: Record<string, string>,
  body: unknown,
  output?: string,
): void {
  for (const raw of urls.length > 0 ? urls : [""]) {
    const url = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
    const action: HttpAction = {
      kind: "http",
      method,
      url,
      headers,
      ...(body !== undefined ? { body } : {}),
    };
    delegate(inv, "http", action, `${inv.program} ${method} ${raw}`);
  }
  if (output && output !== "-" && output !== "/dev/null")
    writePaths(inv, `${inv.program} -o`, [literalWord(output)]);
}

/** The files a request sends, with `-` read through to what feeds standard input. */
function sentFiles(inv: Invocation, sent: string[]): string[] {
  return sent.flatMap((f) => {
    if (f !== "-") return [resolvePath(inv.state, f) ?? f];
    const stdin = inv.stdin;
    if (stdin.kind === "file") return [stdin.path];
    if (stdin.kind === "pipe" && stdin.source[0]?.value === "cat")
      return stdin.source.slice(1).map((w) => resolvePath(inv.state, w.value) ?? w.value);
    return [];
  });
}

function headersOf(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of values) {
    const i = h.indexOf(":");
    if (i > 0) out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

function curl(inv: Invocation): void {
  const p = parseArgs(inv.args, CURL_VALUE);
  const all = (names: string[]) =>
    inv.argv.flatMap((a, i) => (names.includes(inv.argv[i - 1] ?? "") ? [a] : []));
  const data = all(CURL_DATA);
  const explicit = optionValue(p, "-X", "--request");
  const method = (
    explicit ??
    (p.flags.has("-I") || p.flags.has("--head")
      ? "HEAD"
      : p.flags.has("-T") || p.flags.has("--upload-file")
        ? "PUT"
        : data.length > 0
          ? "POST"
          : "GET")
  ).toUpperCase();
  const urls = [...p.operands.map((o) => o.value), ...all(["--url"])];
  // `-d @file`, `-F f=@file`, `-T file`: files sent along; secrets among them are handed over.
  const sent = [
    ...data.flatMap((d) => (/^@|=[@<]/.test(d) ? [d.replace(/^[^@<]*[@<]/, "").split(";", 1)[0] ?? ""] : [])),
    ...all(["-T", "--upload-file"]),
  ];
  sendsSecrets(inv, sentFiles(inv, sent), urls);
  request(
    inv,
    method,
    urls,
    headersOf(all(["-H", "--header"])),
    data.length > 0 ? data.join("&") : undefined,
    optionValue(p, "-o", "--output"),
  );
}

function wget(inv: Invocation): void {
  const p = parseArgs(
    inv.args,
    new Set([
      "-O",
      "--output-document",
      "--method",
      "--body-data",
      "--post-data",
      "--header",
      "-P",
      "--directory-prefix",
      "-U",
      "--user-agent",
      "-t",
      "--tries",
      "-T",
      "--timeout",
    ]),
  );
  const post = optionValue(p, "--post-data", "--body-data");
  const method = (optionValue(p, "--method") ?? (post !== undefined ? "POST" : "GET")).toUpperCase();
  request(
    inv,
    method,
    p.operands.map((o) => o.value),
    headersOf(inv.argv.flatMap((a, i) => (inv.argv[i - 1] === "--header" ? [a] : []))),
    post,
    optionValue(p, "-O", "--output-document"),
  );
}

/** httpie: `http [METHOD] URL [items]`. */
function httpie(inv: Invocation): void {
  const ops = parseArgs(inv.args, new Set(["-a", "--auth", "-o", "--output"])).operands.map((o) => o.value);
  const [first = "", second = ""] = ops;
  const hasMethod = /^[A-Z]+$/.test(first);
  // HTTPie's shorthand: `:7700/x` and `:/x` mean localhost.
  const written = hasMethod ? second : first;
  const url = written.startsWith(":") ? `http://localhost${written === ":" ? "" : written}` : written;
  const items = ops.slice(hasMethod ? 2 : 1);
  const method = hasMethod ? first : items.some((i) => /[^:]=/.test(i)) ? "POST" : "GET";
  request(inv, method, [url], {}, items.length > 0 ? items.join(" ") : undefined);
}

export const HTTP_CLIENTS: Record<string, Handler> = { curl, wget, http: httpie, https: httpie, xh: httpie };
