import { checkExamples, describeExampleFailure } from "../gate/examples.js";
import { readPolicyFile } from "../local/policy-file.js";
import { formatPolicyErrors, parsePolicy } from "../policy/parse.js";

/** `airlock policy test [PATH]`: run the policy's own examples and print each result. */
export async function runPolicyTest(path: string | undefined): Promise<number> {
  let policyFile: { file: string; text: string };
  try {
    policyFile = readPolicyFile(path);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 66;
  }
  const { file, text } = policyFile;
  const parsed = parsePolicy(text, file);
  if (!parsed.ok) {
    process.stderr.write(`${formatPolicyErrors(parsed.errors)}\n`);
    return 65;
  }
  const results = await checkExamples(parsed.policy);
  for (const r of results) {
    const label = r.passed ? "pass" : "FAIL";
    process.stdout.write(`${label}  ${r.ruleId}  ${r.expected}  ${JSON.stringify(r.example)}\n`);
    if (!r.passed) process.stdout.write(`      ${describeExampleFailure(r)}\n`);
  }
  const failed = results.filter((r) => !r.passed).length;
  process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}
