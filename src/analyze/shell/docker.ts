import { afterOptions, optionValue, type ParsedArgs, parseArgs, shellLine, withStdin } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";

const WITH_VALUE = new Set(
  `-H --host --context -v --volume -e --env -p --publish --name -w --workdir -u --user --mount --network
  --entrypoint -f --file -t --tag --filter --format -l --label --env-file --platform --project-name`.split(
    /\s+/,
  ),
);
const EXEC_WITH_VALUE = new Set(["-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file"]);
const READS = new Set(
  "ps images logs inspect version info stats top history search events diff port".split(" "),
);
const REMOVERS = new Set(["rm", "rmi", "kill", "stop", "container", "image", "network"]);
/** A bind mount of the host's root, a home, /etc or the docker socket hands the host to the container. */
const HOST_MOUNT =
  /^(\/|~|\/home\/[^/:]+|\/Users\/[^/:]+|\/root|\/etc|\/var\/run\/docker\.sock|source=\/,)(:|,|$)|(^|,)source=\/(,|$)/;

/** A docker operation before the program's name is put in front of its name and summary. */
type DockerOp = OpSpec;

interface Context {
  inv: Invocation;
  p: ParsedArgs;
  sub: string;
  rest: string[];
  /** Daemon names (`-H`, `--context`, DOCKER_HOST): the environment, when given. */
  hints: string[];
  /** The hints, or "local" when the daemon is this machine's. */
  local: string[];
}

function run(c: Context): DockerOp {
  const { inv, p, sub, rest } = c;
  const mounts = [
    ...(p.values.get("-v") ?? "").split(","),
    p.values.get("--volume") ?? "",
    p.values.get("--mount") ?? "",
    ...inv.args.flatMap((a, i) =>
      ["-v", "--volume", "--mount"].includes(inv.argv[i - 1] ?? "") ? [a.value] : [],
    ),
  ];
  if (
    p.flags.has("--privileged") ||
    mounts.some((m) => HOST_MOUNT.test(m)) ||
    p.values.get("--pid") === "host"
  ) {
    return {
      name: sub,
      effect: "privilege",
      summary: `${sub} with the host's root, home or docker socket mounted or --privileged: the container can change the host`,
      reversibility: "irreversible",
      blastRadius: "host",
      tags: ["privilege-escalation"],
      envHints: c.hints,
    };
  }
  return {
    name: sub,
    effect: "execute",
    summary: `${sub} ${rest.slice(0, 2).join(" ")}`,
    reversibility: "recoverable",
    blastRadius: "resource",
    envHints: c.local,
  };
}

function removeVolumes(c: Context): DockerOp {
  const { sub, rest } = c;
  // `docker compose down -v` of the checkout's own compose file, on the local engine: its volumes
  // are this project's development data. A named file, project or remote engine is not.
  const own =
    sub === "compose" &&
    c.hints.length === 0 &&
    !c.inv.argv.some((a) => /^(-f|--file|-p|--project-name|--project-directory)(=|$)/.test(a));
  return {
    name: sub === "volume" ? `volume ${rest[0]}` : `${sub} ${rest[0] ?? ""} --volumes`.replace("  ", " "),
    effect: "delete",
    summary: `${sub} ${rest.join(" ")}: deletes volumes and the data in them`,
    reversibility: "irreversible",
    blastRadius: "service",
    tags: ["stateful", "data-loss"],
    envHints: own ? ["local"] : c.hints,
    targets: rest.slice(1).map((v) => ({ type: "volume", name: v })),
  };
}

/** rm, stop, kill, `compose down` and the like; `$(docker ps -q)` makes them bulk. */
function remove(c: Context): DockerOp {
  const { inv, sub, rest } = c;
  const dynamic = inv.args.some((a) => !a.known);
  const del = sub === "rm" || sub === "rmi" || ["rm", "prune", "down"].includes(rest[0] ?? "");
  const grouped = sub === "compose" || sub === "container" || sub === "image" || sub === "network";
  return {
    name: grouped ? `${sub} ${rest[0] ?? ""}` : sub,
    effect: del ? "delete" : "write",
    summary: `${sub} ${rest.join(" ")}`,
    reversibility: "recoverable",
    blastRadius: dynamic ? "service" : "resource",
    tags: dynamic ? ["bulk"] : [],
    envHints: dynamic ? c.hints : c.local,
  };
}

function operation(c: Context): DockerOp {
  const { p, sub, rest } = c;
  // Read from the words as written: `-af --volumes` must not lose --volumes to -f's value.
  const volumes =
    c.inv.argv.includes("--volumes") ||
    (sub === "compose" && rest[0] === "down" && (p.flags.has("-v") || p.flags.has("--volumes")));
  if (READS.has(sub)) return { name: sub, effect: "read", summary: `${sub} only reads`, envHints: c.local };
  if (sub === "run" || sub === "create") return run(c);
  if (volumes || (sub === "volume" && ["rm", "prune", "remove"].includes(rest[0] ?? "")))
    return removeVolumes(c);
  if (sub === "system" && rest[0] === "prune") {
    return {
      name: "system prune",
      effect: "delete",
      summary: "system prune deletes stopped containers, unused networks and images",
      reversibility: "recoverable",
      blastRadius: "service",
      envHints: c.local,
    };
  }
  if (REMOVERS.has(sub) || (sub === "compose" && ["down", "rm", "stop", "kill"].includes(rest[0] ?? "")))
    return remove(c);
  return {
    name: sub || "(none)",
    effect: sub === "push" ? "write" : "execute",
    summary: `${sub} ${rest.slice(0, 3).join(" ")}`,
    reversibility: "recoverable",
    blastRadius: "resource",
    envHints: sub === "push" ? c.hints : c.local,
  };
}

/** `docker exec box CMD` runs CMD inside the container: parsed again, with the container as its place. */
function exec(c: Context): void {
  const { inv } = c;
  // `docker exec box CMD`, `docker compose exec svc CMD`, `docker compose run svc CMD`.
  const verb = c.sub === "compose" ? (c.rest[0] ?? "exec") : "exec";
  const execArgs = inv.args.slice(inv.args.findIndex((a) => a.value === verb) + 1);
  const [container, ...command] = afterOptions(execArgs, EXEC_WITH_VALUE);
  const scope = { depth: inv.scope.depth + 1, remote: [container?.value ?? "container", ...c.hints] };
  if (command.length > 0) {
    inv.reparse(withStdin(shellLine(command), inv.stdin), scope);
    return;
  }
  emit(inv, {
    name: `${inv.program} exec`,
    effect: "execute",
    summary: `${inv.program} exec into ${container?.value ?? ""}: an interactive session`,
    reversibility: "recoverable",
    blastRadius: "service",
    opaque: true,
    envHints: scope.remote,
  });
}

function docker(inv: Invocation): void {
  const p = parseArgs(inv.args, WITH_VALUE);
  const hints = [optionValue(p, "-H", "--host", "--context"), inv.env.get("DOCKER_HOST")].filter(
    (h): h is string => !!h,
  );
  let words = p.operands.map((o) => o.value);
  if (inv.program === "docker-compose" || inv.program === "podman-compose") words = ["compose", ...words];
  const [sub = "", ...rest] = words;
  const c: Context = { inv, p, sub, rest, hints, local: hints.length === 0 ? ["local"] : hints };
  if (sub === "exec" || (sub === "compose" && (rest[0] === "exec" || rest[0] === "run"))) {
    exec(c);
    return;
  }
  const spec = operation(c);
  emit(inv, { ...spec, name: `${inv.program} ${spec.name}`, summary: `${inv.program} ${spec.summary}` });
}

export const DOCKER: Record<string, Handler> = {
  docker,
  podman: docker,
  "docker-compose": docker,
  nerdctl: docker,
};
