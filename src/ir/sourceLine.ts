/** @file Finds the user's file:line that called into flowgrad, for node.source and errors. */
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/ (or dist/) of this package: frames inside it are flowgrad's own, not the user's.
const packageRoot = dirname(dirname(fileURLToPath(import.meta.url))) + sep;

/** The first stack frame outside flowgrad, as `path:line` relative to the working directory. */
export function userSourceLine(): string | undefined {
  const stack = new Error().stack?.split('\n') ?? [];
  for (const line of stack.slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?$/.exec(line.trim());
    if (!m) continue;
    let file = m[1];
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (file.startsWith(packageRoot) || file.startsWith('node:') || file.includes(`${sep}node_modules${sep}`)) continue;
    return `${relative(process.cwd(), file) || file}:${m[2]}`;
  }
  return undefined;
}
