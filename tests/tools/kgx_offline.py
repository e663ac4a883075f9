"""Run the ``kgx`` command line offline (used by the tests, in the kgx tool venv).

kgx and the Biolink Model Toolkit fetch the Biolink Model schema, its predicate map and its
JSON-LD context from the web by default; this runs the same command line on the schema and
prefix map that the PyPI package ``biolink-model`` ships. ``KGX_EXTRA_PREFIXES`` (JSON,
prefix -> namespace) adds prefixes to the JSON-LD context the validator checks CURIEs
against, for a graph's own namespace.

Example: ``python kgx_offline.py validate -i tsv g_nodes.tsv g_edges.tsv``
"""

import json
import os
import sys
from importlib.resources import files

import bmt.toolkit

SCHEMA = str(files("biolink_model") / "schema" / "biolink_model.yaml")
_defaults = list(bmt.toolkit.Toolkit.__init__.__defaults__)
bmt.toolkit.Toolkit.__init__.__defaults__ = (SCHEMA, {"predicate mappings": []}, *_defaults[2:])
bmt.toolkit.REMOTE_PATH = SCHEMA

import kgx.config  # noqa: E402

PREFIXES = json.loads((files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json").read_text())
PREFIXES.update(json.loads(os.environ.get("KGX_EXTRA_PREFIXES", "{}")))
kgx.config.jsonld_context_map.update({"biolink": PREFIXES, "monarch_context": {}, "obo_context": {}})

from kgx.cli import cli  # noqa: E402

sys.exit(cli())
