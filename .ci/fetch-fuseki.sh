#!/usr/bin/env bash
# Fetch the Apache Jena Fuseki server jar from Maven Central into the tools cache.
# Prints the jar's path. Skips the download when the jar is already there.
#   usage: .ci/fetch-fuseki.sh            (cache: ${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools})
set -euo pipefail
VERSION="${FUSEKI_VERSION:-5.6.0}"   # 5.6.0 is the last release that runs on Java 17
DIR="${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}"
JAR="$DIR/jena-fuseki-server-$VERSION.jar"
if [ ! -s "$JAR" ]; then
    command -v mvn >/dev/null || { echo "fetch-fuseki: Maven (mvn) is needed to download Fuseki" >&2; exit 1; }
    mkdir -p "$DIR"
    mvn -q -B -Dstyle.color=never dependency:copy \
        -Dartifact="org.apache.jena:jena-fuseki-server:$VERSION" \
        -DoutputDirectory="$DIR" >&2
    [ -s "$JAR" ] || { echo "fetch-fuseki: download finished but $JAR is missing" >&2; exit 1; }
fi
echo "$JAR"
