#!/usr/bin/env bash
# Validate RDF files against the SHACL shapes with Apache Jena SHACL; print one line per result.
#
# Usage: .ci/shacl-check.sh [SHAPES DATA...]
#   (default: ontology/shapes/legkg-shapes.ttl over ontology/release/legkg.ttl and legkg-inferred.owl)
# Exit 0 when every file conforms, 1 when one does not, 2 when a file cannot be read.
# The runner (tools/shacl-check) is compiled once by Maven; the jar and the Maven repository
# are kept in ${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}, keyed by the sources.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}"
src="$root/tools/shacl-check"
key="$(cat "$src/pom.xml" "$src"/src/main/java/legkg/*.java | sha256sum | cut -c1-16)"
jar="$tools/shacl-check-$key.jar"

if [[ ! -s "$jar" ]]; then
    command -v mvn >/dev/null || { echo "shacl-check: Maven (mvn) is needed to build the runner" >&2; exit 2; }
    mkdir -p "$tools"
    build="$(mktemp -d "$tools/build.XXXXXX")"
    trap 'rm -rf "$build"' EXIT
    cp -r "$src/pom.xml" "$src/src" "$build/"
    echo "shacl-check: building the runner (first run downloads Jena SHACL) ..." >&2
    mvn -q -B -f "$build/pom.xml" -Dmaven.repo.local="$tools/m2" package >&2
    mv "$build/target/shacl-check.jar" "$jar.tmp" && mv "$jar.tmp" "$jar"
    rm -rf "$build"
    trap - EXIT
fi

if [[ $# -eq 0 ]]; then
    set -- "$root/ontology/shapes/legkg-shapes.ttl" "$root/ontology/release/legkg.ttl" \
        "$root/ontology/release/legkg-inferred.owl"
fi
exec java -jar "$jar" "$@"
