#!/usr/bin/env bash
# What a browser downloads to run each page, from the release build in
# target/site/pkg (build it first: cargo leptos build --release --split):
# the main wasm and the page's chunks (from the split manifest), raw and
# compressed as the server sends them (gzip -9 and brotli, the sizes of the
# precompressed files when present), and how many wasm files that is.
# Prints one line per lazy boundary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec node - target/site/pkg <<'JS'
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const dir = process.argv[2];
const files = fs.readdirSync(dir);
const one = (re) => files.find((f) => re.test(f));
const size = (name) => {
  const file = path.join(dir, name), raw = fs.readFileSync(file);
  const packed = (ext, make) => fs.existsSync(file + ext) ? fs.statSync(file + ext).size : make(raw).length;
  return {
    raw: raw.length,
    gz: zlib.gzipSync(raw, { level: 9 }).length,
    br: packed(".br", (b) => zlib.brotliCompressSync(b)),
  };
};
const add = (a, b) => ({ raw: a.raw + b.raw, gz: a.gz + b.gz, br: a.br + b.br });
const kb = (n) => (n / 1024).toFixed(0).padStart(6);
const row = (name, s, files = "") => console.log(`${name.padEnd(34)} ${kb(s.raw)} ${kb(s.gz)} ${kb(s.br)} ${String(files).padStart(6)}`);
const main = size(one(/^hindsight\.[\w-]+\.wasm$/));
console.log(`${"KiB".padEnd(34)} ${"raw".padStart(6)} ${"gzip".padStart(6)} ${"br".padStart(6)} ${"files".padStart(6)}`);
row("main wasm (every page)", main, 1);
const manifest = one(/^__wasm_split_manifest\..*\.json$/);
if (!manifest) process.exit(0);
const chunks = JSON.parse(fs.readFileSync(path.join(dir, manifest)));
for (const [name, parts] of Object.entries(chunks).sort()) {
  const own = parts.map((p) => size(p + ".wasm")).reduce(add);
  row(`+ ${name.replace(/^_*/, "").replace(/_\d+$/, "")}`, own, parts.length);
  row(`  = page total`, add(main, own), parts.length + 1);
}
JS
