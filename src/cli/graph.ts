/**
 * @file `flowgrad graph`: prints a built-in model's forward graph and its gradient graph as IR
 * text, or writes them as Graphviz DOT or as an HTML picture (the report's graph figures).
 */
import { writeFile } from 'node:fs/promises';
import { Argument, Command } from 'commander';
import { toDot } from '../ir/serialize.js';
import { writeReport } from '../report/index.js';
import { fusionGroups } from '../passes/fusionGroups.js';
import type { CliIO } from './io.js';
import { MODEL_NAMES, type ModelName, modelGraphs } from './models.js';
import { parseBatch } from './options.js';

interface GraphCommandOptions {
  batch: number | string;
  split?: boolean;
  dot?: string | true;
  html?: string;
}

/** The `graph` subcommand. */
export function graphCommand(io: CliIO): Command {
  return new Command('graph')
    .description("print a model's forward graph and gradient graph as IR text, or draw them")
    .addArgument(new Argument('[model]', 'built-in model').choices(MODEL_NAMES).default('lenet'))
    .option('--batch <n>', 'batch size the graphs are traced for: a number, or a name such as "batch" for a symbolic dim', parseBatch, 64)
    .option('--split', 'the forward and backward graphs a compiled training step runs (the forward one also returns what backward saves), instead of the loss graph and the joint gradient graph')
    .option('--dot [file]', 'write Graphviz DOT (both graphs) to the file, or to stdout')
    .option('--html <file>', 'write an HTML page with both graphs laid out and drawn')
    .action(async (model: ModelName, opts: GraphCommandOptions) => {
      const m = modelGraphs(model, opts.batch, opts.split === true);
      const backwardName = opts.split ? 'backward' : 'gradient';
      const graphs = [
        { name: 'forward', graph: m.forward, groups: fusionGroups(m.forward) },
        { name: backwardName, graph: m.backward, outputNames: m.backwardOutputNames, groups: fusionGroups(m.backward) },
      ];
      if (opts.html !== undefined) {
        await writeReport(opts.html, {
          title: `flowgrad graph: ${model}`,
          summary: { model: m.description, batch: opts.batch, graphs: opts.split ? 'forward and backward (split)' : 'loss and gradient' },
          graphs,
        });
        io.err(`wrote ${opts.html}\n`);
      }
      if (opts.dot !== undefined) {
        const dot = `${toDot(m.forward)}\n${toDot(m.backward)}\n`;
        if (opts.dot === true) io.out(dot);
        else {
          await writeFile(opts.dot, dot, 'utf8');
          io.err(`wrote ${opts.dot} (render with: dot -Tsvg -O ${opts.dot})\n`);
        }
      }
      if (opts.html === undefined && opts.dot === undefined) {
        io.out(`# ${model}: ${m.description}, batch ${opts.batch}\n`);
        for (const { name, graph } of graphs) io.out(`\n# ${name} graph: ${graph.nodes.length} nodes\n${graph.toString()}\n`);
      }
    });
}
