// The type declarations of the SDK entry (dist/sdk.mjs, `import … from "airlock/sdk"`), written to
// dist/types. The compiler takes seconds and every test run builds, so the declarations are written
// again only when the sources they come from changed; otherwise the previous build's are carried over.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// The folders whose files the SDK's declarations are made of: the SDK and the Action/Decision shapes.
const FOLDERS = ["src/sdk", "src/action"];
const STAMP = ".sources-sha256";

function sources() {
  return FOLDERS.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .sort()
      .map((f) => join(dir, f)),
  );
}

async function emit(outDir, files) {
  const ts = (await import("typescript")).default;
  const program = ts.createProgram([join(process.cwd(), "src/sdk/index.ts")], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts"],
    types: ["node"],
    strict: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: "src",
    outDir,
  });
  const wanted = new Set(files.map((f) => join(process.cwd(), f)));
  const problems = [];
  for (const file of program.getSourceFiles()) {
    if (!wanted.has(file.fileName)) continue;
    const result = program.emit(file);
    problems.push(...result.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")));
  }
  if (problems.length > 0) throw new Error(`SDK declarations failed:\n${problems.join("\n")}`);
}

/** Put the SDK's declarations into `nextDist`/types, reusing `currentDist`'s when nothing changed. */
export async function sdkTypes(currentDist, nextDist) {
  const files = sources();
  const hash = createHash("sha256");
  for (const f of files) hash.update(f).update("\0").update(readFileSync(f)).update("\0");
  const stamp = hash.digest("hex");
  const previous = join(currentDist, "types");
  try {
    if (readFileSync(join(previous, STAMP), "utf8") === stamp) {
      renameSync(previous, join(nextDist, "types"));
      return;
    }
  } catch {
    // No previous declarations, or another build took them: write them.
  }
  try {
    await import("typescript");
  } catch {
    console.warn(
      "airlock build: typescript is not installed, so dist/types (the SDK's types) is not written",
    );
    return;
  }
  await emit(join(nextDist, "types"), files);
  if (existsSync(join(nextDist, "types"))) writeFileSync(join(nextDist, "types", STAMP), stamp);
}
