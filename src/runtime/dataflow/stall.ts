/**
 * @file The report of a dataflow run that ended with an output never computed: which nodes
 * still wait, in which frame instance and iteration, and for which inputs.
 */
import { FlowgradError } from '../../errors.js';
import type { Graph } from '../../ir/graph.js';
import { formatNodeLine, valueRef } from '../../ir/printer.js';
import { formatName } from '../../ir/text.js';
import type { Value } from '../../ir/value.js';
import type { FrameInstance } from './frameState.js';
import type { Plan } from './plan.js';

/** The error naming up to five waiting nodes of the frame instances still `active`. */
export function stallError(graph: Graph, v: Value, active: ReadonlySet<FrameInstance>, plan: Plan): FlowgradError {
  const waiting: string[] = [];
  for (const frame of active) {
    for (const it of frame.iterations.values()) {
      for (const node of it.missing.keys()) {
        const absent = plan.deps.get(node)!.filter((d) => !it.values.has(d)).map((d) => (d.id < 0 ? `(after ${formatNodeLine(d.producer!)})` : valueRef(d)));
        waiting.push(`${formatNodeLine(node)} in ${frame.describe(it.index)} waits for ${absent.join(', ')}`);
      }
    }
  }
  const shown = waiting.slice(0, 5).map((w) => `\n  ${w}`).join('') + (waiting.length > 5 ? `\n  … ${waiting.length - 5} more` : '');
  return new FlowgradError(`dataflow: graph ${formatName(graph.name)} stalled: no node can run and output ${valueRef(v)} was never computed${waiting.length > 0 ? `; still waiting:${shown}` : ''}`);
}
