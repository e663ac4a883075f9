#!/usr/bin/env bash
# Run ROBOT's `report` (the OBO quality checks) on ontology files and fail on any ERROR or WARN.
#
# Usage: .ci/robot-report.sh [FILE...]   (default: the OWL files in ontology/release)
# ROBOT comes from Maven Central (tools/robot/pom.xml); its classpath and the Maven repository are
# kept in ${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}, keyed by the pom.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}"
pom="$root/tools/robot/pom.xml"
key="$(sha256sum < "$pom" | cut -c1-16)"
cp_file="$tools/robot-classpath-$key.txt"

if [[ ! -s "$cp_file" ]]; then
    command -v mvn >/dev/null || { echo "robot-report: Maven (mvn) is needed to fetch ROBOT" >&2; exit 2; }
    mkdir -p "$tools"
    echo "robot-report: fetching ROBOT from Maven Central (first run only) ..." >&2
    mvn -q -B -f "$pom" -Dmaven.repo.local="$tools/m2" dependency:build-classpath \
        -Dmdep.outputFile="$cp_file.tmp" >&2
    mv "$cp_file.tmp" "$cp_file"
fi

if [[ $# -eq 0 ]]; then
    set -- "$root/ontology/release/legkg.owl" "$root/ontology/release/legkg-inferred.owl"
fi
status=0
for file in "$@"; do
    out="$(mktemp)"
    if java -Xmx2G -cp "$(cat "$cp_file")" org.obolibrary.robot.CommandLineInterface \
            report -i "$file" --fail-on WARN --print 20 -o "$out" >"$out.log" 2>&1; then
        echo "robot-report: $(basename "$file"): $(grep -E '^(ERROR|WARN|INFO):' "$out.log" | tr -s ' ' | paste -sd ' ')"
    else
        echo "robot-report: $(basename "$file") fails:" >&2
        cat "$out.log" >&2
        status=1
    fi
    rm -f "$out" "$out.log"
done
exit "$status"
