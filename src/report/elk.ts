/**
 * @file The one place that loads elkjs (the Eclipse Layout Kernel compiled to JS), so the
 * rest of the report code sees plain data. The bundled build runs in this thread: no worker.
 */
import ELKModule from 'elkjs/lib/elk.bundled.js';
import type { ELK, ElkNode } from 'elkjs/lib/elk-api.js';

export type { ElkNode, ElkExtendedEdge, ElkLabel } from 'elkjs/lib/elk-api.js';

// elkjs is CommonJS whose module.exports is the constructor, while its typings declare an ES
// default export; depending on the loader either shape can arrive, so accept both.
type ElkConstructor = new () => ELK;
const moduleValue = ELKModule as unknown as ElkConstructor | { default: ElkConstructor };
const ElkClass: ElkConstructor = typeof moduleValue === 'function' ? moduleValue : moduleValue.default;

let instance: ELK | undefined;

/** Lays out `graph` with ELK and returns it with x, y (and edge sections) filled in. */
export function elkLayout(graph: ElkNode): Promise<ElkNode> {
  instance ??= new ElkClass();
  return instance.layout(graph);
}
