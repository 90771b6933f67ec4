import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { opsMarkdown } from '../../scripts/opsDoc.js';

it('docs/ops.md lists every op in the registry (run `npm run docs:ops` after adding one)', () => {
  expect(readFileSync(new URL('../../docs/ops.md', import.meta.url), 'utf8')).toBe(opsMarkdown());
});
