/**
 * @file What colour a box in the graph picture gets: each op's kind, read from its schema
 * (fusion class and `view` flag), so a new op is coloured without being listed here.
 */
import type { Node } from '../ir/node.js';
import { schemaOf } from '../ops/schema.js';

/** The kinds a box is coloured by. `input` and `output` are the graph's own inputs and outputs. */
export type BoxKind = 'input' | 'output' | 'constant' | 'elementwise' | 'movement' | 'reduction' | 'compute' | 'opaque';

/** The kind of an op node: constants and argument-free ops, views, then the schema's fusion class. */
export function opKindOf(node: Node): BoxKind {
  if (node.op === 'constant') return 'constant';
  const schema = schemaOf(node.op);
  // Graph-only ops (control flow) have no schema: they are opaque to fusion.
  if (schema === undefined) return 'opaque';
  if (schema.flags.view) return 'movement';
  if (node.inputs.length === 0 && !schema.flags.random) return 'constant';
  switch (schema.fusion) {
    case 'injective':
      return 'elementwise';
    case 'reduction':
      return 'reduction';
    case 'complexOutFusable':
      return 'compute';
    default:
      return 'opaque';
  }
}

export interface KindStyle {
  readonly fill: string;
  readonly stroke: string;
  /** What the legend says. */
  readonly label: string;
}

/** Fill, border and legend text per kind; pale fills keep the black labels readable. */
export const KIND_STYLES: Readonly<Record<BoxKind, KindStyle>> = {
  input: { fill: '#eceff1', stroke: '#455a64', label: 'graph input' },
  output: { fill: '#cfd8dc', stroke: '#263238', label: 'graph output' },
  constant: { fill: '#f5f5f5', stroke: '#9e9e9e', label: 'constant' },
  elementwise: { fill: '#e3f2fd', stroke: '#1e88e5', label: 'elementwise' },
  movement: { fill: '#f3e5f5', stroke: '#8e24aa', label: 'movement / view' },
  reduction: { fill: '#e8f5e9', stroke: '#43a047', label: 'reduction' },
  compute: { fill: '#fff3e0', stroke: '#ef6c00', label: 'matmul / conv / pool' },
  opaque: { fill: '#ffebee', stroke: '#c62828', label: 'other (opaque)' },
};

/** Legend order: data in, the op kinds from cheapest to heaviest, data out. */
export const LEGEND_ORDER: readonly BoxKind[] = ['input', 'constant', 'elementwise', 'movement', 'reduction', 'compute', 'opaque', 'output'];
