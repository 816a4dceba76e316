import type { BlastRadius } from "../../action/decision.js";
import type { Effect } from "../types.js";
import type { AccessLevel } from "./iam.js";
import type { AwsCall } from "./normalize.js";
import type { Finding } from "./overrides.js";
import { isAccountService, type NounMatch, narrower, nounOf, wider } from "./targets.js";
import { VERB_RULES, type Verb, type VerbClass, verbOf } from "./verbs.js";

/** Services where every change is a change of who may do what. */
const PRIVILEGE_SERVICES = new Set(["iam", "sso", "identitystore", "sso-directory"]);

export interface Classified {
  finding: Finding;
  verb: Verb | undefined;
  noun: NounMatch | undefined;
  /** What the verb class says about the outcome, for a summary no override explains. */
  note?: string;
}

/**
 * The first judgement, before overrides: IAM's access level when IAM knows the action, then the
 * verb class for Writes (Write says nothing about create versus delete). An action IAM does not
 * know is judged by its verb alone, and never as a read.
 */
export function classify(call: AwsCall): Classified {
  const verb = verbOf(call.operation);
  const noun = verb ? nounOf(call.service, verb.noun) : undefined;
  const level = call.iam?.accessLevel;
  const cls = classOf(level, verb?.cls, call.iam !== undefined);
  const rule = VERB_RULES[cls];
  const finding: Finding = {
    effect: rule.effect,
    reversibility: rule.reversibility,
    blastRadius: "none",
    tags: new Set(rule.tags),
    reasons: [],
    opaque: call.iam === undefined,
  };
  if (level === "Tagging") {
    finding.effect = "write";
    finding.blastRadius = "resource";
    return { finding, verb, noun };
  }
  const accessService = PRIVILEGE_SERVICES.has(call.service) && cls !== "read" && !isLoss(cls);
  if (level === "Permissions management" || accessService) {
    finding.effect = "privilege" satisfies Effect;
    finding.reversibility = isLoss(cls) || cls === "revoke" ? "recoverable" : "reversible";
    finding.tags.clear();
  }
  if (finding.effect !== "read") finding.blastRadius = reach(cls, noun, call.service);
  // A grant reaches whatever the grantee can touch, never just the one user or role it names.
  if (finding.effect === "privilege") finding.blastRadius = wider(finding.blastRadius, "service");
  const note = finding.effect === rule.effect ? rule.note : undefined;
  return note ? { finding, verb, noun, note } : { finding, verb, noun };
}

function classOf(level: AccessLevel | undefined, cls: VerbClass | undefined, known: boolean): VerbClass {
  if (level === "List" || level === "Read") return "read";
  // A Write named like a read (GetX that changes something), or an unknown "DescribeX": a write.
  if (cls === "read") return "change";
  if (cls) return cls;
  return known ? "change" : "execute";
}

function isLoss(cls: VerbClass): boolean {
  return cls === "destroy" || cls === "detach";
}

/** How far the call reaches, from what its noun is and whether it acts on all of it. */
function reach(cls: VerbClass, noun: NounMatch | undefined, service: string): BlastRadius {
  const kind = VERB_RULES[cls].reach;
  let radius: BlastRadius;
  if (kind === "create" || kind === "none") radius = "resource";
  else if (!noun) radius = "service";
  else {
    radius = kind === "destroy" ? noun.noun.destroy : noun.noun.change;
    if (!noun.whole) radius = narrower(radius, "service");
  }
  return isAccountService(service) ? wider(radius, "account") : radius;
}
