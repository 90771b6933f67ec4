/**
 * Writes docs/ops.md, the table of every op in the registry, from the schemas themselves
 * (`npm run docs:ops`). test/docs/opsDoc.test.ts fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import '../src/index.js';
import { allSchemas } from '../src/ops/schema.js';

export function opsMarkdown(): string {
  const rows = [...allSchemas()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => {
      const inputs = s.variadic ? `${s.inputs[0]}…` : s.inputs.join(', ');
      const flags = Object.entries(s.flags).filter(([, v]) => v).map(([k]) => k).join(', ');
      return `| \`${s.name}\` | ${inputs || '—'} | ${s.vjp ? 'yes' : '—'} | ${s.jvp ? 'yes' : '—'} | ${s.fusion} | ${flags || '—'} |`;
    });
  return [
    '# Ops',
    '',
    'Every op in the registry (generated from the schemas by `npm run docs:ops`; do not edit by hand).',
    'VJP and JVP rules are written with ops, so every differentiable op is differentiable again; the',
    'op table tests check each against finite differences in float64. Fusion classes follow TVM.',
    '',
    '| op | inputs | VJP | JVP | fusion | flags |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../docs/ops.md', import.meta.url), opsMarkdown());
  console.log('wrote docs/ops.md');
}
