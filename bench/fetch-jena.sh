#!/usr/bin/env bash
# Fetch Apache Jena's command-line tools (jena-cmds and its dependencies) from Maven Central
# into the tools cache, for `arq` in bench/bench_scale.py. Prints the class path.
# Skips the download when the jars are already there.
#   usage: bench/fetch-jena.sh            (cache: ${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools})
#   run:   java -cp "$(bench/fetch-jena.sh)" arq.sparql --data ontology/legkg-edit.owl --query q.rq
set -euo pipefail
VERSION="${JENA_VERSION:-5.6.0}"   # 5.6.0 is the last release that runs on Java 17
DIR="${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}/jena-cmds-$VERSION"
if [ ! -s "$DIR/jena-cmds-$VERSION.jar" ]; then
    command -v mvn >/dev/null || { echo "fetch-jena: Maven (mvn) is needed to download Jena" >&2; exit 1; }
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>legkg</groupId><artifactId>fetch-jena</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.jena</groupId><artifactId>jena-cmds</artifactId><version>$VERSION</version></dependency>
  </dependencies>
</project>
POM
    mkdir -p "$DIR.part"
    mvn -q -B -Dstyle.color=never -f "$work/pom.xml" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$DIR.part" >&2
    rm -rf "$DIR" && mv "$DIR.part" "$DIR"
    [ -s "$DIR/jena-cmds-$VERSION.jar" ] || { echo "fetch-jena: download finished but jena-cmds is missing" >&2; exit 1; }
fi
echo "$DIR/*"
