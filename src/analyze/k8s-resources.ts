/**
 * Kubernetes resource names as people and tools spell them (`ns`, `Deployment`, `deployments.apps`,
 * `apps/v1/deployments`, `x/scale`), brought to one spelling: the lower-case plural.
 */
/** The plural, then the lower-case kind and kubectl's short names; `^` marks cluster-scoped resources. */
const RESOURCE_NAMES = `
namespaces^ namespace ns          | pods pod po                      | deployments deployment deploy
statefulsets statefulset sts      | daemonsets daemonset ds          | replicasets replicaset rs
replicationcontrollers replicationcontroller rc                      | services service svc
configmaps configmap cm           | secrets secret                   | persistentvolumeclaims persistentvolumeclaim pvc
persistentvolumes^ persistentvolume pv                               | nodes^ node no
customresourcedefinitions^ customresourcedefinition crd crds         | serviceaccounts serviceaccount sa
ingresses ingress ing             | jobs job                         | cronjobs cronjob cj
horizontalpodautoscalers horizontalpodautoscaler hpa                 | poddisruptionbudgets poddisruptionbudget pdb
networkpolicies networkpolicy netpol                                 | endpoints endpoints ep
events event ev                   | storageclasses^ storageclass sc  | priorityclasses^ priorityclass pc
limitranges limitrange limits     | resourcequotas resourcequota quota
certificatesigningrequests^ certificatesigningrequest csr            | roles role | rolebindings rolebinding
clusterroles^ clusterrole         | clusterrolebindings^ clusterrolebinding
mutatingwebhookconfigurations^ mutatingwebhookconfiguration          | volumesnapshots volumesnapshot
validatingwebhookconfigurations^ validatingwebhookconfiguration      | volumesnapshotcontents^ volumesnapshotcontent
validatingadmissionpolicies^ validatingadmissionpolicy  | validatingadmissionpolicybindings^ validatingadmissionpolicybinding
all workload`;

const PLURAL_OF = new Map<string, string>();
const KIND_OF = new Map<string, string>();
const CLUSTER_SCOPED = new Set<string>();
for (const entry of RESOURCE_NAMES.split(/[|\n]/)) {
  const [first, kind, ...short] = entry.trim().split(/\s+/);
  if (!first || !kind) continue;
  const plural = first.replace("^", "");
  if (first.endsWith("^")) CLUSTER_SCOPED.add(plural);
  KIND_OF.set(plural, kind);
  for (const alias of [plural, kind, ...short]) PLURAL_OF.set(alias, plural);
}

const VERSION = /^v\d+(?:(?:alpha|beta)\d+)?$/;
const VERSION_PREFIX = /^v\d+(?:(?:alpha|beta)\d+)?\./;

export interface K8sResource {
  /** Plural, lower-case, without its API group: "deployments". */
  resource: string;
  group?: string;
  subresource?: string;
  /** Lower-case singular, for targets and summaries: "deployment". */
  kind: string;
  clusterScoped: boolean;
}

function pluralize(word: string): string {
  if (word.endsWith("s")) return word;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** "ns", "Deployment", "deployments.apps", "apps/v1/deployments", "deployments/scale" → one spelling. */
export function normalizeK8sResource(raw: string): K8sResource {
  let parts = raw.trim().toLowerCase().split("/");
  let group: string | undefined;
  if (parts.length >= 3 && VERSION.test(parts[1] ?? "")) {
    group = parts[0];
    parts = parts.slice(2);
  } else if (VERSION.test(parts[0] ?? "")) {
    parts = parts.slice(1);
  }
  let name = parts[0] ?? "";
  const dot = name.indexOf(".");
  if (dot > 0) {
    // kubectl also accepts resource.version.group ("deployments.v1.apps").
    group = name.slice(dot + 1).replace(VERSION_PREFIX, "");
    name = name.slice(0, dot);
  }
  const resource = PLURAL_OF.get(name) ?? (name === "" ? "" : pluralize(name));
  const subresource = parts[1] ? parts[1] : undefined;
  return {
    resource,
    ...(group ? { group } : {}),
    ...(subresource ? { subresource } : {}),
    kind: KIND_OF.get(resource) ?? resource,
    clusterScoped: CLUSTER_SCOPED.has(resource),
  };
}
