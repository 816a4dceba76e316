import { emit, type Invocation } from "./context.js";
import { fromUrl } from "./database.js";
import type { Handler } from "./dispatch.js";
import { parseShape, type RuleShape } from "./service-cli.js";
import { lookupVariable } from "./state.js";

/**
 * Schema-migration and ORM command lines: `prisma migrate reset`, `rails db:drop`, `manage.py flush`,
 * `flyway clean`. They reach whatever database the environment names, so the connection URL and
 * the framework's environment variable are what tell production from a laptop.
 *
 * Lines of `tools | arguments (a regular expression) | effect reversibility radius [opaque] | tags | what`,
 * first match wins.
 */
const TABLE = `
prisma | ^(migrate reset|db push.*--force-reset) | delete irreversible environment | stateful data-loss schema-change | drops the database and rebuilds it from the migrations
prisma | ^db push.*--accept-data-loss | delete irreversible service | data-loss schema-change | pushes the schema, dropping columns and tables that no longer fit
prisma | ^migrate deploy | write recoverable service opaque | schema-change | applies the pending migrations
prisma | ^migrate resolve | write recoverable resource | | marks a migration as applied or rolled back
prisma | ^db execute | execute irreversible environment opaque | | runs a SQL script airlock cannot see
prisma | ^(migrate dev|db push|db seed) | write recoverable service local | schema-change | changes the development database
prisma | ^(generate|format|validate|studio|init|version|migrate status|migrate diff|db pull|-v|--version|-h|--help)( |$)|^$ | read reversible none | | changes no database
rails rake | db:(drop|reset|schema:load|structure:load|purge|truncate_all|migrate:reset|seed:replant) | delete irreversible environment | stateful data-loss | drops or empties the database
rails rake | db:rollback | delete recoverable service | schema-change | rolls the last migration back
rails rake | db:migrate | write recoverable service opaque | schema-change | applies the pending migrations
rails rake | db:(create|setup|prepare|seed) | write recoverable service | | creates and fills the database
rails rake | ^(c|console|dbconsole|db|runner|r)( |$) | execute recoverable service opaque | | runs Ruby or SQL airlock cannot see against the database
rails rake | ^(s|server|g|generate|routes|test|spec|assets:precompile|about|stats|notes|credentials:show)( |$)|^-T | execute recoverable resource local | | local development work
manage.py | ^(flush|reset_db|sqlflush --execute) | delete irreversible environment | data-loss | deletes every row in every table
manage.py | ^migrate \\S+ zero | delete irreversible service | schema-change data-loss | unapplies every migration of the app, dropping its tables
manage.py | ^migrate | write recoverable service opaque | schema-change | applies the pending migrations
manage.py | ^(shell|dbshell|shell_plus|runscript)( |$) | execute recoverable service opaque | | runs Python or SQL airlock cannot see against the database
manage.py | ^(runserver|test|makemigrations|check|collectstatic|showmigrations|sqlmigrate|startapp|help)( |$) | execute recoverable resource local | | local development work
artisan | ^(migrate:fresh|migrate:refresh|migrate:reset|db:wipe) | delete irreversible environment | stateful data-loss | drops every table (and rebuilds the schema)
artisan | ^migrate:rollback | delete recoverable service | schema-change | rolls the last migrations back
artisan | ^migrate( |$) | write recoverable service opaque | schema-change | applies the pending migrations
artisan | ^(db:seed|migrate:install) | write recoverable service | | fills the database
artisan | ^(tinker|db|queue:flush)( |$) | execute recoverable service opaque | | runs PHP or SQL airlock cannot see against the database
artisan | ^(serve|test|list|about|route:list|make:S+|config:clear|cache:clear|view:clear|optimize|key:generate|migrate:status)( |$) | execute recoverable resource local | | local development work
alembic | ^downgrade (base|-\\d{2,}) | delete irreversible service | schema-change data-loss | unapplies migrations, dropping their tables
alembic | ^downgrade | delete recoverable service | schema-change | unapplies a migration
alembic | ^upgrade | write recoverable service opaque | schema-change | applies migrations
alembic | ^(history|current|heads|show|check|revision) | read reversible none | | changes no database
flyway | (^| )clean( |$) | delete irreversible environment | stateful data-loss | drops every object in the configured schemas
flyway | (^| )(migrate|repair|baseline|undo)( |$) | write recoverable service opaque | schema-change | changes the schema
flyway | (^| )(info|validate)( |$) | read reversible none | | changes no database
liquibase | (dropAll|drop-all) | delete irreversible environment | stateful data-loss | drops every object in the database
liquibase | (rollback) | delete recoverable service | schema-change | rolls changes back
liquibase | (update|changelog-sync) | write recoverable service opaque | schema-change | applies changes
sequelize | db:(drop|migrate:undo:all|seed:undo:all) | delete irreversible environment | stateful data-loss | drops the database or unapplies every migration
sequelize | db:migrate:undo | delete recoverable service | schema-change | unapplies a migration
sequelize | db:migrate | write recoverable service opaque | schema-change | applies the pending migrations
knex | migrate:rollback(?=(?:(?!migrate:rollback).)*--all)|migrate:down | delete irreversible service | schema-change data-loss | unapplies migrations
knex | migrate:(latest|up) | write recoverable service opaque | schema-change | applies the pending migrations
typeorm | schema:drop | delete irreversible environment | stateful data-loss | drops every table
typeorm | migration:revert | delete recoverable service | schema-change | unapplies a migration
typeorm | (migration:run|schema:sync) | write recoverable service opaque | schema-change | changes the schema
drizzle-kit | ^drop | delete irreversible service | schema-change | deletes a migration
drizzle-kit | ^push.*--force | delete irreversible service | schema-change data-loss | pushes the schema without asking, dropping what no longer fits
drizzle-kit | ^(push|migrate) | write recoverable service | schema-change | changes the schema
drizzle-kit | ^(generate|check|studio|introspect|pull|up) | read reversible none local | | changes no database
dbmate | (^| )drop( |$) | delete irreversible environment | stateful data-loss | drops the database
dbmate | (^| )(rollback|down)( |$) | delete recoverable service | schema-change | unapplies a migration
dbmate | (^| )(up|migrate)( |$) | write recoverable service opaque | schema-change | applies the pending migrations
goose | (^| )reset( |$) | delete irreversible environment | schema-change data-loss | unapplies every migration
goose | (^| )(down|down-to)( |$) | delete recoverable service | schema-change | unapplies migrations
goose | (^| )(up|up-to|up-by-one)( |$) | write recoverable service opaque | schema-change | applies migrations
`;

interface Rule extends RuleShape {
  tools: Set<string>;
  args: RegExp;
}

const RULES: Rule[] = TABLE.trim()
  .split("\n")
  .map((line) => {
    const [tools = "", args = "", shape = "", tags = "", what = ""] = line
      .split(/\s\|(?=\s)/)
      .map((s) => s.trim());
    return { tools: new Set(tools.split(/\s+/)), args: new RegExp(args), ...parseShape(shape, tags, what) };
  });

/** Variables that say which database or which of the app's environments a migration reaches. */
const URL_VARIABLES = [
  "DATABASE_URL",
  "DB_URL",
  "POSTGRES_URL",
  "POSTGRES_PRISMA_URL",
  "MYSQL_URL",
  "MONGODB_URI",
];
const ENV_VARIABLES = [
  "RAILS_ENV",
  "RACK_ENV",
  "APP_ENV",
  "NODE_ENV",
  "DJANGO_SETTINGS_MODULE",
  "FLASK_ENV",
  "STAGE",
  "ENV",
];
const ENV_FLAGS = /^(?:-e|--env|--environment|--settings|-url|--url|--database-url|-x)=?(.*)$/;

function environmentHints(inv: Invocation): string[] {
  const get = (name: string) => inv.env.get(name) ?? lookupVariable(inv.state, name);
  const hints: string[] = [];
  for (const name of URL_VARIABLES) hints.push(...fromUrl(get(name) ?? ""));
  for (const name of ENV_VARIABLES) {
    const value = get(name);
    if (value) hints.push(value);
  }
  inv.argv.forEach((a, i) => {
    const m = ENV_FLAGS.exec(a);
    if (!m) return;
    const value = m[1] || inv.argv[i + 1] || "";
    hints.push(
      ...(/^[a-z+]+:\/\//i.test(value) || value.startsWith("jdbc:")
        ? fromUrl(value.replace(/^jdbc:/, ""))
        : [value]),
    );
  });
  return hints.filter((h) => h !== "");
}

/** Analyse a migration tool's arguments (`tool` is the program, or "manage.py" for Django). */
export function migration(inv: Invocation, tool: string, args: string[]): void {
  // The environment flags and their values are hints, not part of the command.
  const line = args
    .filter(
      (a, i) =>
        !ENV_FLAGS.test(a) && !/^(?:-e|--env|--environment|--settings|-x|--url)$/.test(args[i - 1] ?? ""),
    )
    .join(" ");
  const rule = RULES.find((r) => r.tools.has(tool) && r.args.test(line));
  const hints = environmentHints(inv);
  if (!rule) {
    emit(inv, {
      name: `${tool} ${args[0] ?? ""}`.trim(),
      effect: "execute",
      summary: `${tool} ${line}: local development work, as far as airlock knows`,
      reversibility: "recoverable",
      blastRadius: "service",
      envHints: [...hints, "local"],
    });
    return;
  }
  const sub = rule.args.exec(line)?.[0]?.trim() ?? args[0] ?? "";
  emit(inv, {
    name: `${tool} ${sub}`.trim(),
    effect: rule.effect,
    summary: `${tool} ${line}: ${rule.what}${hints.length > 0 ? ` (${hints.join(", ")})` : ""}`,
    reversibility: rule.reversibility,
    blastRadius: rule.blastRadius,
    tags: rule.tags,
    envHints: rule.local || rule.effect === "read" ? [...hints, "local"] : hints,
    ...(rule.opaque ? { opaque: true } : {}),
  });
}

const tool: Handler = (inv) => migration(inv, inv.program, inv.argv);

export const MIGRATIONS: Record<string, Handler> = {
  prisma: tool,
  rails: tool,
  rake: tool,
  "manage.py": (inv) => migration(inv, "manage.py", inv.argv),
  alembic: tool,
  flyway: tool,
  liquibase: tool,
  sequelize: tool,
  "sequelize-cli": (inv) => migration(inv, "sequelize", inv.argv),
  knex: tool,
  typeorm: tool,
  "drizzle-kit": tool,
  dbmate: tool,
  goose: tool,
};
