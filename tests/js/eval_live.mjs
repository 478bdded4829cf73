// Evaluate decaylib's generated Vega expressions and live charts with the
// real Vega runtime (the npm packages the book vendors), headless in Node.
//
//   node tests/js/eval_live.mjs NODE_MODULES_DIR < job.json > result.json
//
// job.json:
//   {"expressions": [{"expr": "...", "signals": {"lr0": 0.1, ...}, "t": [0, 1, ...]}, ...],
//    "charts": [{"spec": <Vega-Lite spec>, "runs": [{"lr0": 0.2, "n": 50}, ...]}, ...]}
// result.json:
//   {"versions": {...},
//    "expressions": [[value at each t], ...],
//    "charts": [[{"signals": {...}, "data": {dataset name: rows}}, ...], ...]}
// Non-finite numbers are written as the strings "Infinity", "-Infinity", "NaN".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.argv[2];
if (!modules) throw new Error('usage: node eval_live.mjs NODE_MODULES_DIR < job.json');
const load = (name, file) => import(pathToFileURL(join(modules, name, file)).href);
const vega = await load('vega', 'build/vega.module.js');
const vegaLite = await load('vega-lite', 'build/index.js');

const job = JSON.parse(readFileSync(0, 'utf8'));

function finite(x) {
  if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
  return x;
}

function rows(view, name) {
  return view.data(name).map(r => {
    const out = {};
    for (const [k, v] of Object.entries(r)) out[k] = Array.isArray(v) ? v.map(finite) : finite(v);
    return out;
  });
}

async function evaluate({ expr, signals, t }) {
  // one formula transform over the given epochs: Vega's own parser, codegen
  // and function table evaluate the expression, as in the book's charts
  const spec = {
    signals: Object.entries(signals).map(([name, value]) => ({ name, value })),
    data: [{ name: 'epochs', values: t.map(x => ({ t: x })), transform: [{ type: 'formula', expr, as: 'value' }] }],
  };
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  await view.runAsync();
  const out = view.data('epochs').map(r => finite(r.value));
  view.finalize();
  return out;
}

async function chart({ spec, runs }) {
  const compiled = vegaLite.compile(spec).spec;
  const names = compiled.data.map(d => d.name);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  await view.runAsync();
  const results = [];
  for (const run of [{}, ...runs]) {
    for (const [name, value] of Object.entries(run)) view.signal(name, value);
    await view.runAsync();
    const signals = {};
    for (const p of spec.params || []) signals[p.name] = finite(view.signal(p.name));
    const data = {};
    for (const name of names) data[name] = rows(view, name);
    results.push({ signals, data });
  }
  view.finalize();
  return results;
}

const result = { versions: { vega: vega.version, vegaLite: vegaLite.version }, expressions: [], charts: [] };
for (const e of job.expressions || []) result.expressions.push(await evaluate(e));
for (const c of job.charts || []) result.charts.push(await chart(c));
process.stdout.write(JSON.stringify(result));
