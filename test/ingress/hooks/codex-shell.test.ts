import { describe, expect, it } from "vitest";
import { interactiveChannel, shellPatch } from "../../../src/ingress/hooks/codex-shell.js";

/** Codex's shell tool: patches it applies, and processes it types into later (write_stdin). */

describe("interactive channels under Codex", () => {
  it.each([
    "python3 -i",
    "python3",
    "python3 -q",
    "node",
    "node -i",
    "ssh prod-db-1",
    "ssh -p 2222 -i ~/.ssh/id admin@host",
    "cat",
    "cat -",
    "bash",
    "sh -i",
    "psql -h db.internal -U app payments",
    "mysql -u root shop",
    "psql -p 5432 payments",
    "sqlite3 app.db",
    "redis-cli",
    "cd /srv && python3",
    "FOO=1 env node",
    "nc prod-cache 6379",
  ])("%s keeps reading its input: an opaque channel", (command) => {
    expect(interactiveChannel(command)).toBeDefined();
  });

  it.each([
    "python3 script.py",
    "python3 -c 'print(1)'",
    "python3 -m pytest",
    "node build.js",
    "node -e 'console.log(1)'",
    "ssh host 'uptime'",
    "ssh -p 22 host ls /tmp",
    "cat README.md",
    "bash -c 'ls'",
    "bash deploy.sh",
    "psql -c 'select 1'",
    "mysql -e 'select 1' shop",
    "sqlite3 app.db 'select 1'",
    "redis-cli get key",
    "python3 < input.py",
    "python3 --version",
    "node -v",
    "node --help",
    "psql -l",
    "ssh -V",
    "bash --version",
    "echo hi | python3",
    "ls -la",
  ])("%s runs something and ends: not a channel", (command) => {
    expect(interactiveChannel(command)).toBeUndefined();
  });
});

describe("apply_patch sent as a shell command", () => {
  const patch = "*** Begin Patch\n*** Add File: notes.txt\n+hi\n*** End Patch";

  it.each([
    [`apply_patch <<'EOF'\n${patch}\nEOF`, undefined],
    [`apply_patch <<"PATCH"\n${patch}\nPATCH\n`, undefined],
    [`applypatch <<EOF\n${patch}\nEOF`, undefined],
    [`cd /srv/app && apply_patch <<'EOF'\n${patch}\nEOF`, "/srv/app"],
    [`apply_patch '${patch}'`, undefined],
  ])("is the patch: %s", (command, dir) => {
    expect(shellPatch(command)).toEqual({ patch, ...(dir ? { dir } : {}) });
  });

  it.each(["echo apply_patch", "apply_patch_helper <<'EOF'\nx\nEOF", "cat <<'EOF'\n*** Begin Patch\nEOF"])(
    "is not a patch: %s",
    (command) => {
      expect(shellPatch(command)).toBeUndefined();
    },
  );
});
