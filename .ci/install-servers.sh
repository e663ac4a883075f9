#!/usr/bin/env bash
# Install the SPARQL servers the server tests start on 127.0.0.1, into the tools cache:
#   Apache Jena Fuseki (Maven Central, .ci/fetch-fuseki.sh), Oxigraph server and rdflib-endpoint
#   (PyPI, in their own virtualenv), Comunica (npm, a local folder, never global) and Virtuoso 7
#   (Debian package, only when run as root with apt-get).
# Prints one line per server: NAME<TAB>PATH-OR-REASON. Skips what is already installed.
#   usage: .ci/install-servers.sh [fuseki|python|comunica|virtuoso ...]   (default: all)
#   cache: ${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${LEGKG_TOOLS_DIR:-$HOME/.cache/legkg-tools}"
OXIGRAPH_VERSION="${OXIGRAPH_VERSION:-0.5.13}"
RDFLIB_ENDPOINT_VERSION="${RDFLIB_ENDPOINT_VERSION:-0.6.3}"
COMUNICA_VERSION="${COMUNICA_VERSION:-4.5.0}"   # the latest 4.x; 5.x needs a newer Node than Debian's 20
mkdir -p "$DIR"
status=0

fuseki() {
    printf 'fuseki\t%s\n' "$(.ci/fetch-fuseki.sh)"
}

python_servers() {
    local venv="$DIR/pyservers-$OXIGRAPH_VERSION-$RDFLIB_ENDPOINT_VERSION"
    if [ ! -x "$venv/bin/oxigraph" ] || [ ! -x "$venv/bin/rdflib-endpoint" ]; then
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check \
            "oxigraph==$OXIGRAPH_VERSION" "rdflib-endpoint[cli]==$RDFLIB_ENDPOINT_VERSION" >&2
    fi
    printf 'oxigraph\t%s\n' "$venv/bin/oxigraph"
    printf 'rdflib-endpoint\t%s\n' "$venv/bin/rdflib-endpoint"
}

comunica() {
    local dir="$DIR/comunica-$COMUNICA_VERSION"
    local bin="$dir/node_modules/.bin/comunica-sparql-http"
    if [ ! -x "$bin" ]; then
        command -v npm >/dev/null || { echo "install-servers: npm is needed for Comunica" >&2; return 1; }
        mkdir -p "$dir"
        [ -f "$dir/package.json" ] || echo '{"private": true}' > "$dir/package.json"
        npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
            "@comunica/query-sparql@$COMUNICA_VERSION" >&2
    fi
    printf 'comunica\t%s\n' "$bin"
}

virtuoso() {
    if ! command -v virtuoso-t >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource) >&2
        else
            echo "install-servers: Virtuoso needs root to apt-get install virtuoso-opensource" >&2
            return 1
        fi
    fi
    printf 'virtuoso\t%s\n' "$(command -v virtuoso-t)"
}

for name in "${@:-fuseki python comunica virtuoso}"; do
    for one in $name; do
        case "$one" in
            fuseki) fuseki || status=1 ;;
            python) python_servers || status=1 ;;
            comunica) comunica || status=1 ;;
            virtuoso) virtuoso || status=1 ;;
            *) echo "install-servers: unknown server $one" >&2; exit 2 ;;
        esac
    done
done
exit $status
