#!/usr/bin/env node
// Comunica's SPARQL endpoint (@comunica/query-sparql 4.x) over an RDF file held in an indexed
// in-memory N3 store, the engine's "rdfjs" source type.
//
// Given a file or URL on its command line, comunica-sparql-http reads it as a hypermedia source,
// whose every triple pattern is estimated at the file's whole size: the join planner then picks
// nested-loop and bind joins over all of it, and a four-pattern join takes a minute on 8,600
// triples. An N3 store counts each pattern exactly, so the planner orders joins by real sizes.
//
//   usage: NODE_PATH=DIR/node_modules node .ci/comunica-endpoint.js FILE.nt PORT [TIMEOUT-SECONDS]
//   FILE is N-Triples, N-Quads or Turtle; the endpoint answers at http://127.0.0.1:PORT/sparql.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const [file, port, timeout = '60'] = process.argv.slice(2);
if (!file || !/^\d+$/.test(port || '') || !/^\d+$/.test(timeout)) {
  process.stderr.write('usage: comunica-endpoint.js FILE PORT [TIMEOUT-SECONDS]\n');
  process.exit(2);
}

// Each module is resolved from the package that depends on it, however npm laid them out.
const from = (file) => createRequire(file);
let root;
try {
  root = path.dirname(require.resolve('@comunica/query-sparql/package.json'));
} catch {
  process.stderr.write('@comunica/query-sparql not found: set NODE_PATH to the node_modules folder holding it\n');
  process.exit(2);
}
const init = from(`${root}/package.json`).resolve('@comunica/actor-init-query');
const parser = from(`${root}/package.json`).resolve('@comunica/actor-rdf-parse-n3');
const { HttpServiceSparqlEndpoint } = require(init);
const { KeysQueryOperation } = from(init)('@comunica/context-entries');
const { Parser, Store } = from(parser)('n3');

const store = new Store();
store.addQuads(new Parser().parse(fs.readFileSync(file, 'utf8')));
const config = path.join(root, 'config', 'config-default.json');
new HttpServiceSparqlEndpoint({
  defaultConfigPath: config,
  configPath: config,
  moduleRootPath: `${root}/`,
  mainModulePath: `${root}/`,
  context: { sources: [ store ], [KeysQueryOperation.readOnly.name]: true },
  port: Number(port),
  timeout: Number(timeout) * 1000,
  workers: 1,
}).run(process.stdout, process.stderr).catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
