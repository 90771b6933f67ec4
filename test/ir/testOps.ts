/**
 * @file Graph-only ops that exist for the IR tests: any attributes, two outputs, no outputs,
 * and one subgraph (a stand-in for control flow until cond/whileLoop land).
 */
import { FlowgradError } from '../../src/errors.js';
import { defineGraphOp, graphOpOf, registerNodeVerifier } from '../../src/ir/graphOps.js';
import { formatType } from '../../src/ir/printer.js';

if (!graphOpOf('testAttrs')) {
  /** Identity on types; takes any attributes (to exercise attr printing). */
  defineGraphOp({ name: 'testAttrs', infer: (ins) => ins.map((t) => ({ ...t })) });
  /** Two outputs, both of the input's type. */
  defineGraphOp({ name: 'testSplit', infer: ([x]) => [x, x] });
  /** No outputs (a side effect), to be named by control deps as `#k`. */
  defineGraphOp({ name: 'testSink', infer: () => [] });
  /** Calls its one subgraph on its inputs. */
  defineGraphOp({
    name: 'testCall',
    infer: (ins, _attrs, subs) => {
      if (subs.length !== 1) throw new FlowgradError(`testCall: expected 1 subgraph, got ${subs.length}`);
      const body = subs[0];
      const declared = body.inputs.map((v) => formatType(v.type)).join(', ');
      const given = ins.map(formatType).join(', ');
      if (declared !== given) throw new FlowgradError(`testCall: subgraph takes (${declared}), got (${given})`);
      return body.outputs.map((v) => v.type);
    },
  });
  registerNodeVerifier('testCall', (node) => {
    if (node.subgraphs.length !== 1) throw new FlowgradError(`testCall: expected 1 subgraph, got ${node.subgraphs.length}`);
  });
}
