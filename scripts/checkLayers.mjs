// Fails when a file in src/ imports from a layer above its own (DESIGN.md, "Layers").
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ORDER = ['errors', 'tensor', 'kernels', 'ops', 'ir', 'runtime', 'passes', 'autodiff', 'control', 'jit', 'nn', 'optim', 'data', '(top)'];
const RANK = { ...Object.fromEntries(ORDER.map((l, i) => [l, i])), optim: ORDER.indexOf('nn'), data: ORDER.indexOf('nn') };

const root = resolve('src');
const layerOf = (file) => {
  const rel = relative(root, file).split(/[\\/]/);
  if (rel.length === 1) return rel[0] === 'errors.ts' ? 'errors' : '(top)';
  return rel[0] in RANK ? rel[0] : '(top)';
};

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  }
};
walk(root);

const problems = [];
for (const file of files) {
  const src = readFileSync(file, 'utf8');
  const mine = layerOf(file);
  for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), m[1].replace(/\.js$/, '.ts'));
    const theirs = layerOf(target);
    if (RANK[theirs] > RANK[mine]) problems.push(`${relative('.', file)} (${mine}) imports ${m[1]} (${theirs}), a higher layer`);
  }
}
if (problems.length) {
  console.error(`Layering violations (imports must point down, see DESIGN.md):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`layers ok: ${files.length} files`);
