#!/usr/bin/env bash
# Run ROBOT (the OBO community's ontology tool) from Maven Central: .ci/robot.sh COMMAND [OPTIONS...]
#   e.g. .ci/robot.sh convert -i ontology/release/legkg.owl -o /tmp/legkg.obo
# The jars (about 140, 79 MB) are fetched once into ${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}.
set -euo pipefail
VERSION="${ROBOT_VERSION:-1.9.8}"
tools="${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}"
lib="$tools/robot-$VERSION"
if [[ ! -f "$lib/.ready" ]]; then
    command -v mvn >/dev/null || { echo "robot: Maven (mvn) is needed to download ROBOT" >&2; exit 2; }
    mkdir -p "$tools"
    tmp="$(mktemp -d "$tools/robot.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    cat > "$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>org.legkg</groupId><artifactId>robot-fetch</artifactId><version>1.0</version>
  <dependencies><dependency><groupId>org.obolibrary.robot</groupId><artifactId>robot-command</artifactId>
    <version>$VERSION</version></dependency></dependencies></project>
POM
    echo "robot: fetching ROBOT $VERSION (first run) ..." >&2
    mvn -q -B -f "$tmp/pom.xml" -Dmaven.repo.local="$tools/m2" dependency:copy-dependencies \
        -DoutputDirectory="$tmp/lib" >&2
    rm -rf "$lib" && mv "$tmp/lib" "$lib" && touch "$lib/.ready"
    rm -rf "$tmp"
    trap - EXIT
fi
exec java -Xss8m -cp "$lib/*" org.obolibrary.robot.CommandLineInterface "$@"
