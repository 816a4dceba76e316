/**
 * Environment inference from names, as the contract says: `prod`, `production`, `prd`, `live`
 * mean production. Names are split into words (on punctuation and camelCase) so that
 * `products` or `liveness` are not production, while `prod-db` and `LiveStack` are.
 */

export type EnvironmentSource = "context" | "inferred" | "unknown";

export interface EnvironmentVerdict {
  name: string;
  source: EnvironmentSource;
  /** The name that decided it, when inferred. */
  evidence?: string;
}

const WORDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["production", ["prod", "production", "prd", "live", "prods"]],
  ["staging", ["staging", "stage", "stg", "preprod", "uat", "qa"]],
  // Local Kubernetes distributions name their contexts after themselves: minikube, kind-x, k3d-x, docker-desktop.
  [
    "development",
    [
      "dev",
      "development",
      "devel",
      "test",
      "testing",
      "sandbox",
      "local",
      "scratch",
      "minikube",
      "kind",
      "k3d",
      "microk8s",
      "desktop",
    ],
  ],
];

/** Ranked from most to least dangerous: the worst environment wins when hints disagree. */
export const ENVIRONMENT_SEVERITY = ["production", "unknown", "staging", "development", "loopback"] as const;

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0)$/i;

export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

/**
 * The same names (a stack, a context, a database) come back on action after action; remember what
 * each one says. Bounded, so a stream of unique names cannot grow it without limit.
 */
const remembered = new Map<string, string | null>();
const REMEMBER_AT_MOST = 50_000;

/** The environment a single name speaks for, or undefined when it says nothing. */
export function environmentOfName(name: string): string | undefined {
  const known = remembered.get(name);
  if (known !== undefined) return known ?? undefined;
  const env = readEnvironment(name);
  if (remembered.size >= REMEMBER_AT_MOST) remembered.clear();
  remembered.set(name, env ?? null);
  return env;
}

function readEnvironment(name: string): string | undefined {
  // `printer.local` is a host found by multicast DNS on the network, not local development.
  const words = splitWords(
    /\.local\.?(?::\d+)?$/i.test(name) ? name.replace(/\.local\.?(?::\d+)?$/i, "") : name,
  );
  // "pre-prod" must read as staging, not production.
  if (words.some((w, i) => w === "pre" && words[i + 1] === "prod")) return "staging";
  for (const [env, vocabulary] of WORDS) {
    if (words.some((w) => vocabulary.includes(w))) return env;
  }
  return undefined;
}

export function severityRank(environment: string): number {
  const rank = (ENVIRONMENT_SEVERITY as readonly string[]).indexOf(environment);
  // A custom environment name (e.g. "eu-prod-2" set in context) we do not know: rank as unknown.
  return rank === -1 ? 1 : rank;
}

/** The most dangerous of several environments. */
export function worstEnvironment(environments: readonly string[]): string {
  let worst = "loopback";
  for (const env of environments) if (severityRank(env) < severityRank(worst)) worst = env;
  return environments.length === 0 ? "unknown" : worst;
}

/**
 * The environment of an operation. Names speak first: when hints disagree the most dangerous wins,
 * and a hint that is a loopback host only counts when nothing else speaks. The context (set by the
 * integration, or by the server from its configuration) fills the silence and may raise the risk,
 * never lower it: `development` in the context of a call on `cost-explorer-prod` is production.
 */
export function inferEnvironment(
  contextEnvironment: string | undefined,
  hints: readonly string[],
): EnvironmentVerdict {
  const named = environmentOfHints(hints);
  if (!contextEnvironment) return named ?? { name: "unknown", source: "unknown" };
  // "prod" in the context still means production; a name we do not know is kept as given.
  const stated =
    contextEnvironment === "loopback"
      ? "loopback"
      : (environmentOfName(contextEnvironment) ?? contextEnvironment);
  if (named && severityRank(named.name) < severityRank(stated)) return named;
  return { name: stated, source: "context" };
}

function environmentOfHints(hints: readonly string[]): EnvironmentVerdict | undefined {
  let best: EnvironmentVerdict | undefined;
  for (const hint of hints) {
    const env = environmentOfName(hint);
    if (env && (!best || severityRank(env) < severityRank(best.name))) {
      best = { name: env, source: "inferred", evidence: hint };
    }
  }
  if (best) return best;
  const loopback = hints.find((h) => isLoopbackHost(h));
  return loopback ? { name: "loopback", source: "inferred", evidence: loopback } : undefined;
}

/** Unknown is treated as production for anything destructive: airlock fails closed. */
export function mayBeProduction(environment: string): boolean {
  return severityRank(environment) <= 1;
}
