#!/usr/bin/env bash
# Load ontology files with the OWL API 4.5 and HermiT, as Protégé 5.6 does, and fail on parse
# errors, unparsed triples, undeclared or punned entities, OWL 2 DL profile violations,
# inconsistency or unsatisfiable classes.
#
# Usage: .ci/owlapi-check.sh [FILE...]   (default: the files in ontology/release)
# The harness (tools/owlapi-check) is compiled once by Maven; the jar and the Maven
# repository are kept in ${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}, keyed by the sources.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}"
src="$root/tools/owlapi-check"
key="$(cat "$src/pom.xml" "$src"/src/main/java/legkg/*.java | sha256sum | cut -c1-16)"
jar="$tools/owlapi-check-$key.jar"

if [[ ! -s "$jar" ]]; then
    command -v mvn >/dev/null || { echo "owlapi-check: Maven (mvn) is needed to build the harness" >&2; exit 2; }
    mkdir -p "$tools"
    build="$(mktemp -d "$tools/build.XXXXXX")"
    trap 'rm -rf "$build"' EXIT
    cp -r "$src/pom.xml" "$src/src" "$build/"
    echo "owlapi-check: building the harness (first run downloads the OWL API and HermiT) ..." >&2
    mvn -q -B -f "$build/pom.xml" -Dmaven.repo.local="$tools/m2" package >&2
    mv "$build/target/owlapi-check.jar" "$jar.tmp" && mv "$jar.tmp" "$jar"
    rm -rf "$build"
    trap - EXIT
fi

if [[ $# -eq 0 ]]; then
    set -- "$root/ontology/release/legkg.owl" "$root/ontology/release/legkg-inferred.owl" \
        "$root/ontology/release/legkg.ttl"
fi
exec java -Xss8m -jar "$jar" "$@"
