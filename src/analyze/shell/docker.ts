import { parseArgs, valueOf } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";
import type { Word } from "./words.js";

const WITH_VALUE = new Set([
  "-H",
  "--host",
  "--context",
  "-v",
  "--volume",
  "-e",
  "--env",
  "-p",
  "--publish",
  "--name",
  "-w",
  "--workdir",
  "-u",
  "--user",
  "--mount",
  "--network",
  "--entrypoint",
  "-f",
  "--file",
  "-t",
  "--tag",
  "--filter",
  "--format",
  "-l",
  "--label",
  "--env-file",
  "--platform",
  "-p",
  "--project-name",
]);

function docker(inv: Invocation): void {
  const p = parseArgs(inv.args, WITH_VALUE);
  const hints = [valueOf(p, "-H", "--host", "--context"), inv.env.get("DOCKER_HOST")].filter(
    (h): h is string => !!h,
  );
  const local = hints.length === 0 ? ["local"] : hints;
  let words = p.operands.map((o) => o.value);
  if (inv.program === "docker-compose" || inv.program === "podman-compose") words = ["compose", ...words];
  const [sub = "", ...rest] = words;
  const op = (name: string, spec: Omit<OpSpec, "name" | "summary">, summary: string) =>
    emit(inv, {
      envHints: local,
      ...spec,
      name: `${inv.program} ${name}`,
      summary: `${inv.program} ${summary}`,
    });
  const volumes =
    p.flags.has("--volumes") ||
    (sub === "compose" && rest[0] === "down" && (p.flags.has("-v") || p.flags.has("--volumes")));
  if (
    [
      "ps",
      "images",
      "logs",
      "inspect",
      "version",
      "info",
      "stats",
      "top",
      "history",
      "search",
      "events",
      "diff",
      "port",
    ].includes(sub)
  ) {
    return op(sub, { effect: "read" }, `${sub} only reads`);
  }
  if (sub === "exec") {
    const execArgs = inv.args.slice(inv.args.findIndex((a) => a.value === "exec") + 1);
    const [container, ...command] = afterOptions(
      execArgs,
      new Set(["-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file"]),
    );
    const scope = { depth: inv.scope.depth + 1, remote: [container?.value ?? "container", ...hints] };
    if (command.length > 0)
      return inv.reparse(
        command
          .map((w) => (/^[\w./=:@%+-]+$/.test(w.value) ? w.value : `'${w.value.replace(/'/g, "'\\''")}'`))
          .join(" "),
        scope,
      );
    return op(
      "exec",
      {
        effect: "execute",
        opaque: true,
        reversibility: "recoverable",
        blastRadius: "service",
        envHints: scope.remote,
      },
      `exec into ${container?.value ?? ""}: an interactive session`,
    );
  }
  if (sub === "run" || sub === "create") {
    const mounts = [
      ...(p.values.get("-v") ?? "").split(","),
      p.values.get("--volume") ?? "",
      p.values.get("--mount") ?? "",
    ];
    const allMounts = inv.args.flatMap((a, i) =>
      ["-v", "--volume", "--mount"].includes(inv.argv[i - 1] ?? "") ? [a.value] : [],
    );
    const hostRoot = [...mounts, ...allMounts].some(
      (m) =>
        /^(\/|~|\/home\/[^/:]+|\/Users\/[^/:]+|\/root|\/etc|\/var\/run\/docker\.sock|source=\/,)(:|,|$)/.test(
          m,
        ) || /(^|,)source=\/(,|$)/.test(m),
    );
    if (p.flags.has("--privileged") || hostRoot || p.values.get("--pid") === "host") {
      return op(
        sub,
        {
          effect: "privilege",
          reversibility: "irreversible",
          blastRadius: "host",
          tags: ["privilege-escalation"],
          envHints: hints,
        },
        `${sub} with the host's root, home or docker socket mounted or --privileged: the container can change the host`,
      );
    }
    return op(
      sub,
      { effect: "execute", reversibility: "recoverable", blastRadius: "resource" },
      `${sub} ${rest.slice(0, 2).join(" ")}`,
    );
  }
  if (volumes || (sub === "volume" && ["rm", "prune", "remove"].includes(rest[0] ?? ""))) {
    return op(
      sub === "volume" ? `volume ${rest[0]}` : `${sub} ${rest[0] ?? ""} --volumes`.replace("  ", " "),
      {
        effect: "delete",
        reversibility: "irreversible",
        blastRadius: "service",
        tags: ["stateful", "data-loss"],
        envHints: hints,
        targets: rest.slice(1).map((v) => ({ type: "volume", name: v })),
      },
      `${sub} ${rest.join(" ")}: deletes volumes and the data in them`,
    );
  }
  if (sub === "system" && rest[0] === "prune")
    return op(
      "system prune",
      { effect: "delete", reversibility: "recoverable", blastRadius: "service" },
      "system prune deletes stopped containers, unused networks and images",
    );
  if (
    ["rm", "rmi", "kill", "stop", "container", "image", "network"].includes(sub) ||
    (sub === "compose" && ["down", "rm", "stop", "kill"].includes(rest[0] ?? ""))
  ) {
    const dynamic = inv.args.some((a) => !a.known);
    const del = sub === "rm" || sub === "rmi" || ["rm", "prune", "down"].includes(rest[0] ?? "");
    return op(
      sub === "compose" || sub === "container" || sub === "image" || sub === "network"
        ? `${sub} ${rest[0] ?? ""}`
        : sub,
      {
        effect: del ? "delete" : "write",
        reversibility: "recoverable",
        blastRadius: dynamic ? "service" : "resource",
        tags: dynamic ? ["bulk"] : [],
        envHints: dynamic ? hints : local,
      },
      `${sub} ${rest.join(" ")}`,
    );
  }
  return op(
    sub || "(none)",
    {
      effect: sub === "push" ? "write" : "execute",
      reversibility: "recoverable",
      blastRadius: "resource",
      envHints: sub === "push" ? hints : local,
    },
    `${sub} ${rest.slice(0, 3).join(" ")}`,
  );
}

/** The words after a command's own options: `exec -it box psql -c "…"` gives box, psql, -c, "…". */
export function afterOptions(args: Word[], withValue: Set<string>): Word[] {
  let i = 0;
  while (i < args.length && (args[i]?.value ?? "").startsWith("-"))
    i += withValue.has(args[i]?.value ?? "") ? 2 : 1;
  return args.slice(i);
}

export const DOCKER: Record<string, Handler> = {
  docker,
  podman: docker,
  "docker-compose": docker,
  nerdctl: docker,
};
