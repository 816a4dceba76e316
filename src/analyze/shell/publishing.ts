import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/**
 * Publishing a package: a released version cannot be taken back from everyone who fetched it
 * (npm, yarn, pnpm, cargo and gem are handled in packages.ts). Builds and tests are local work.
 */
export const PUBLISHING: Record<string, Handler> = serviceFamily(
  `
mvn deploy | write irreversible service | publish | publishes artifacts to the repository
mvn release:perform | write irreversible service | publish | publishes the release
mvn nexus-staging:release | write irreversible service | publish | releases the staged artifacts
mvnw deploy | write irreversible service | publish | publishes artifacts to the repository
mvnw release:perform | write irreversible service | publish | publishes the release
gradle publish | write irreversible service | publish | publishes artifacts
gradle publishToMavenCentral | write irreversible service | publish | publishes artifacts
gradle publishPlugins | write irreversible service | publish | publishes the plugin
gradle publishToSonatype | write irreversible service | publish | publishes artifacts
gradlew publish | write irreversible service | publish | publishes artifacts
gradlew publishToMavenCentral | write irreversible service | publish | publishes artifacts
gradlew publishPlugins | write irreversible service | publish | publishes the plugin
gradlew publishToSonatype | write irreversible service | publish | publishes artifacts
gradle publishToMavenLocal | write reversible resource local | | installs into the local repository
gradlew publishToMavenLocal | write reversible resource local | | installs into the local repository
twine upload | write irreversible service | publish | uploads the distribution to the package index
twine check | read reversible none | | checks the distribution
dotnet nuget push | write irreversible service | publish | publishes the package
dotnet nuget delete | delete irreversible service | | unlists the package version
nuget push | write irreversible service | publish | publishes the package
nuget delete | delete irreversible service | | unlists the package version
vsce publish | write irreversible service | publish | publishes the extension
vsce unpublish | delete irreversible service | | removes the extension
ovsx publish | write irreversible service | publish | publishes the extension
goreleaser release | write irreversible service | publish | publishes the release
`,
  { local: true },
);
