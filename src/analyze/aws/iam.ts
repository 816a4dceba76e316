import { IAM_ACTIONS, IAM_DATA_VERSION } from "./iam-index.generated.js";

/** IAM's access levels, as the Service Authorization Reference names them. */
export type AccessLevel = "List" | "Read" | "Write" | "Tagging" | "Permissions management";

export interface IamAction {
  service: string;
  /** IAM's own spelling, e.g. "DeleteStack". */
  name: string;
  accessLevel: AccessLevel;
}

export { IAM_DATA_VERSION };

const LEVELS: Readonly<Record<string, AccessLevel>> = {
  L: "List",
  R: "Read",
  W: "Write",
  T: "Tagging",
  P: "Permissions management",
};

/** Each service's line, found on first use; its actions are decoded only when asked for. */
let serviceLines: Map<string, string> | undefined;
const decoded = new Map<string, Map<string, IamAction>>();

function lines(): Map<string, string> {
  if (!serviceLines) {
    serviceLines = new Map();
    for (const line of IAM_ACTIONS) {
      const eq = line.indexOf("=");
      serviceLines.set(line.slice(0, eq), line.slice(eq + 1));
    }
  }
  return serviceLines;
}

function actionsOf(service: string): Map<string, IamAction> | undefined {
  const cached = decoded.get(service);
  if (cached) return cached;
  const line = lines().get(service);
  if (line === undefined) return undefined;
  const actions = new Map<string, IamAction>();
  for (const entry of line.split(",")) {
    const accessLevel = LEVELS[entry.charAt(0)];
    const name = entry.slice(1);
    if (accessLevel) actions.set(name.toLowerCase(), { service, name, accessLevel });
  }
  decoded.set(service, actions);
  return actions;
}

/** Is this an IAM service prefix ("cloudformation", "cognito-idp")? */
export function isIamService(service: string): boolean {
  return lines().has(service);
}

/** The IAM service prefixes, for building spelling aliases. */
export function iamServices(): Iterable<string> {
  return lines().keys();
}

/** The action, looked up case-insensitively; undefined when IAM does not know it. */
export function iamAction(service: string, operation: string): IamAction | undefined {
  return actionsOf(service)?.get(operation.toLowerCase());
}

/** Every action IAM knows for a service prefix (empty for an unknown prefix). */
export function iamActionsOf(service: string): IamAction[] {
  return [...(actionsOf(service)?.values() ?? [])];
}
