import { evaluate } from "./src/gate/decide.js";
import { loadPolicy } from "./src/gate/policy-loader.js";
const policy = await loadPolicy();
for (const arg of process.argv.slice(2)) {
  const input = arg.startsWith("{") ? JSON.parse(arg) : { kind: "shell", command: arg, cwd: "/home/dev/app" };
  const e = await evaluate(input, policy);
  console.log(arg, "=>", e.decision.decision, e.decision.approvals?.required ?? "", e.decision.code ?? "");
  for (const v of e.verdicts) console.log("   ", v.op.name, v.op.effect, v.op.reversibility, v.op.blastRadius, v.op.environment, (v.op.tags??[]).join(","), v.op.opaque ? "OPAQUE" : "", "->", v.verdict, v.matched.map(m=>m.ruleId).join(","));
}
