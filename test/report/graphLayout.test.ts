import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { layoutGraph } from '../../src/report/graphLayout.js';
import { opKindOf } from '../../src/report/opKind.js';
import { renderGraphSvg } from '../../src/report/graphSvg.js';

/** relu(x @ w + b).sum() / 2 with a transpose on the side: one op of each kind. */
function smallGraph(): fg.Graph {
  const f = (x: fg.Tensor, w: fg.Tensor, b: fg.Tensor) => {
    const h = fg.relu(fg.add(fg.matmul(x, w), b));
    return [fg.div(fg.sum(h), 2), fg.transpose(h, 0, 1)];
  };
  return fg.trace(f, [fg.spec([4, 3]), fg.spec([3, 2]), fg.spec([2])]);
}

const inside = (inner: { x: number; y: number; width: number; height: number }, outer: typeof inner) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

describe('opKindOf', () => {
  it('reads the kind from the schema: fusion class, view flag, constants', () => {
    const g = smallGraph();
    const kinds = Object.fromEntries(g.nodes.map((n) => [n.op, opKindOf(n)]));
    expect(kinds).toMatchObject({ matmul: 'compute', add: 'elementwise', relu: 'elementwise', sum: 'reduction', permute: 'movement', constant: 'constant' });
  });
});

describe('layoutGraph', () => {
  it('places one box per input, node and output, without overlaps, and one edge per value read', async () => {
    const g = smallGraph();
    const layout = await layoutGraph(g, { inputNames: ['x', 'w', 'b'], outputNames: ['loss', 'hT'] });
    expect(layout.boxes.filter((b) => b.op !== undefined)).toHaveLength(g.nodes.length);
    expect(layout.boxes.filter((b) => b.kind === 'input').map((b) => b.title)).toEqual(['x', 'w', 'b']);
    expect(layout.boxes.filter((b) => b.kind === 'output').map((b) => b.title)).toEqual(['loss', 'hT']);
    const reads = g.nodes.reduce((k, n) => k + new Set(n.inputs).size, 0) + g.outputs.length;
    expect(layout.edges).toHaveLength(reads);
    for (const e of layout.edges) {
      expect(e.points.length).toBeGreaterThanOrEqual(2);
      expect(e.label?.text).toMatch(/^f32\[/);
    }
    for (const [i, a] of layout.boxes.entries()) {
      expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
      for (const b of layout.boxes.slice(i + 1)) {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.title} overlaps ${b.title}`).toBe(true);
      }
    }
    const matmul = layout.boxes.find((b) => b.op === 'matmul')!;
    expect(matmul.detail).toMatch(/^%\d+: f32\[4,2\]$/);
    expect(matmul.tooltip).toContain('= matmul');
  });

  it('outlines hand-made fused groups around exactly their members', async () => {
    const g = smallGraph();
    const [matmul, add, relu] = g.nodes;
    const sum = g.nodes.find((n) => n.op === 'sum')!;
    const layout = await layoutGraph(g, { groups: [[matmul, add, relu], [sum]] });
    expect(layout.groups.map((gr) => gr.size)).toEqual([3, 1]);
    const boxOf = (op: string) => layout.boxes.find((b) => b.op === op)!;
    for (const op of ['matmul', 'add', 'relu']) expect(inside(boxOf(op), layout.groups[0])).toBe(true);
    expect(inside(boxOf('sum'), layout.groups[1])).toBe(true);
    for (const op of ['sum', 'div', 'permute']) expect(inside(boxOf(op), layout.groups[0])).toBe(false);
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
    const svg = renderGraphSvg(layout, 'small', 't');
    expect(svg.match(/class="fg-group"/g)).toHaveLength(2);
    expect(svg).toContain('fused group 0 · 3 ops');
  });

  it('rejects groups that are empty, foreign or overlapping, naming the argument', async () => {
    const g = smallGraph();
    const other = smallGraph();
    await expect(layoutGraph(g, { groups: [[]] })).rejects.toThrow(/argument 'groups\[0\]' expected a non-empty array of nodes/);
    await expect(layoutGraph(g, { groups: [[other.nodes[0]]] })).rejects.toThrow(/groups\[0\]' expected nodes of graph/);
    await expect(layoutGraph(g, { groups: [[g.nodes[0]], [g.nodes[1], g.nodes[0]]] })).rejects.toThrow(/groups\[1\]' expected groups that share no node, got node .*matmul.* also in groups\[0\]/);
  });

  it('labels each Value once, beside its producer, in graphs too large for placed labels', async () => {
    const b = new fg.GraphBuilder('chain');
    const x = b.addInput({ shape: [3], dtype: 'float32' }, 'x');
    let v = x;
    for (let i = 0; i < 170; i++) v = b.addOp(i % 2 === 0 ? 'exp' : 'neg', [v]).outputs[0];
    const last = b.addOp('add', [v, x]).outputs[0];
    const layout = await layoutGraph(b.build([last]));
    const labels = layout.edges.filter((e) => e.label !== undefined);
    // x feeds two nodes but is labelled once; every other Value has one reader.
    expect(layout.edges).toHaveLength(173);
    expect(labels).toHaveLength(172);
    for (const e of labels) {
      expect(e.label!.x).toBeGreaterThan(e.points[0].x);
      expect(Math.abs(e.label!.y - e.points[0].y)).toBeLessThan(2);
    }
  }, 30_000);

  it('draws control dependencies dashed', async () => {
    const b = new fg.GraphBuilder('deps');
    const x = b.addInput({ shape: [2], dtype: 'float32' }, 'x');
    const first = b.addOp('exp', [x]);
    const second = b.addOp('neg', [x], {}, { controlDeps: [first] });
    const layout = await layoutGraph(b.build([first.outputs[0], second.outputs[0]]));
    expect(layout.edges.filter((e) => e.control)).toHaveLength(1);
    expect(renderGraphSvg(layout, 'deps', 'd')).toContain('data-control="true"');
  });
});
