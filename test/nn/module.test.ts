import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import * as nn from '../../src/nn/index.js';
import { expectClose, expectFlowgradError } from '../helpers/tensors.js';

class Block extends nn.Module {
  conv = new nn.Conv2d(1, 2, 3);
  bn = new nn.BatchNorm2d(2);
  forward(x: fg.Tensor): fg.Tensor {
    return fg.relu(this.bn.call(this.conv.call(x)));
  }
}

class Net extends nn.Module {
  block = new Block();
  head = new nn.Sequential(new nn.Flatten(), new nn.Linear(8, 3));
  scale = fg.tensor(2); // a plain tensor field: neither parameter nor buffer
  forward(x: fg.Tensor): fg.Tensor {
    return this.head.call(this.block.call(x)).mul(this.scale);
  }
}

describe('Module tree', () => {
  it('names parameters by field path, in registration order', () => {
    const net = new Net();
    expect([...net.namedParameters()].map(([n]) => n)).toEqual([
      'block.conv.weight', 'block.conv.bias', 'block.bn.weight', 'block.bn.bias', 'head.1.weight', 'head.1.bias',
    ]);
    expect(net.parameters().map((p) => p.shape)).toEqual([[2, 1, 3, 3], [2], [2], [2], [3, 8], [3]]);
    expect([...net.namedBuffers()].map(([n]) => n)).toEqual(['block.bn.runningMean', 'block.bn.runningVar', 'block.bn.numBatchesTracked']);
    expect([...net.namedModules()].map(([n, m]) => `${n}:${m.constructor.name}`)).toEqual([
      ':Net', 'block:Block', 'block.conv:Conv2d', 'block.bn:BatchNorm2d', 'head:Sequential', 'head.0:Flatten', 'head.1:Linear',
    ]);
    expect([...net.namedChildren()].map(([n]) => n)).toEqual(['block', 'head']);
    expect(net.parameters({ recurse: false })).toEqual([]);
  });

  it('runs forward through call and backward reaches every parameter', () => {
    const net = new Net();
    const y = net.call(fg.randn([2, 1, 4, 4]));
    expect(y.shape).toEqual([2, 3]);
    y.sum().backward();
    for (const [name, p] of net.namedParameters()) expect(p.grad?.shape, name).toEqual(p.shape);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('lists a shared (tied) parameter once, but keeps both names in the state dict', () => {
    class Tied extends nn.Module {
      a = new nn.Linear(2, 2);
      b = new nn.Linear(2, 2);
      constructor() {
        super();
        this.b.weight = this.a.weight;
      }
      forward(x: fg.Tensor): fg.Tensor {
        return this.b.call(this.a.call(x));
      }
    }
    const m = new Tied();
    expect([...m.namedParameters()].map(([n]) => n)).toEqual(['a.weight', 'a.bias', 'b.bias']);
    expect(Object.keys(m.stateDict())).toEqual(['a.weight', 'a.bias', 'b.weight', 'b.bias']);
  });

  it('reassigning a field replaces the registered parameter (the fields are the registry)', () => {
    const lin = new nn.Linear(2, 2);
    const w = new nn.Parameter(fg.ones([2, 2]));
    lin.weight = w;
    expect(lin.parameters()[0]).toBe(w);
    lin.bias = null;
    expect([...lin.namedParameters()].map(([n]) => n)).toEqual(['weight']);
  });

  it('train() and eval() reach every descendant', () => {
    const net = new Net();
    expect([...net.modules()].every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect([...net.modules()].every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.block.bn.training).toBe(true);
    net.train(false);
    expect(net.head.at(1).training).toBe(false);
  });

  it('prints the tree as PyTorch does', () => {
    const seq = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Dropout(0.25));
    expect(seq.toString()).toBe('Sequential(\n  (0): Linear(inFeatures=4, outFeatures=3, bias=true)\n  (1): ReLU()\n  (2): Dropout(p=0.25)\n)');
  });

  it('registerBuffer: saved in the state dict unless not persistent; registering a used name fails', () => {
    class WithBuffers extends nn.Module {
      kept: fg.Tensor;
      scratch: fg.Tensor;
      constructor() {
        super();
        this.kept = this.registerBuffer('kept', fg.zeros([2]));
        this.scratch = this.registerBuffer('scratch', fg.zeros([3]), { persistent: false });
      }
      forward(x: fg.Tensor): fg.Tensor {
        return x;
      }
    }
    const m = new WithBuffers();
    expect(m.buffers().length).toBe(2);
    expect(Object.keys(m.stateDict())).toEqual(['kept']);
    expectFlowgradError(() => m.registerBuffer('forward', fg.zeros([1])), /registerBuffer: argument 'name' expected a name not already used/);
    expectFlowgradError(() => m.registerBuffer('a.b', fg.zeros([1])), /without dots/);
    expectFlowgradError(() => m.registerModule('x', 3 as unknown as nn.Module), /expected a Module or null/);
  });

  it('to(dtype) converts floating parameters and buffers, leaving integer buffers', () => {
    const net = new Net().to('float64');
    expect(net.parameters().every((p) => p.dtype === 'float64' && p.requiresGrad)).toBe(true);
    expect(net.block.bn.runningMean?.dtype).toBe('float64');
    expect(net.block.bn.numBatchesTracked?.dtype).toBe('int32');
    expect(net.call(fg.randn([1, 1, 4, 4], { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('requiresGrad_(false) freezes every parameter', () => {
    const lin = new nn.Linear(2, 2).requiresGrad_(false);
    expect(lin.parameters().some((p) => p.requiresGrad)).toBe(false);
  });
});

describe('stateDict / loadStateDict', () => {
  it('holds parameters and buffers, detached and sharing storage', () => {
    const net = new Net();
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual([
      'block.conv.weight', 'block.conv.bias', 'block.bn.weight', 'block.bn.bias',
      'block.bn.runningMean', 'block.bn.runningVar', 'block.bn.numBatchesTracked', 'head.1.weight', 'head.1.bias',
    ]);
    expect(Object.values(sd).every((t) => !t.requiresGrad && t.isLeaf)).toBe(true);
    expect(sd['head.1.weight'].storage).toBe(net.head.at(1).parameters()[0].storage);
  });

  it('round-trips into a fresh model, in place, giving the same outputs', () => {
    fg.manualSeed(1);
    const a = new Net();
    a.call(fg.randn([4, 1, 4, 4])); // moves the running statistics
    const b = new Net();
    const weightBefore = b.block.conv.weight;
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.block.conv.weight).toBe(weightBefore); // loaded in place: an optimizer keeps its references
    for (const [k, v] of Object.entries(a.stateDict())) expect(b.stateDict()[k].toArray(), k).toEqual(v.toArray());
    a.eval();
    b.eval();
    const x = fg.randn([2, 1, 4, 4]);
    expectClose(b.call(x).toArray(), a.call(x).toArray(), 0);
  });

  it('strict mode names missing and unexpected keys and changes nothing', () => {
    const lin = new nn.Linear(2, 1);
    const before = lin.weight.toArray();
    const sd = { weight: fg.ones([1, 2]), extra: fg.zeros([1]) };
    expectFlowgradError(() => lin.loadStateDict(sd), /Linear\.loadStateDict: argument 'stateDict' .*missing key\(s\) "bias"; unexpected key\(s\) "extra"/);
    expect(lin.weight.toArray()).toEqual(before);
    expect(lin.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['extra'] });
    expect(lin.weight.toArray()).toEqual([[1, 1]]);
  });

  it('rejects shape and dtype mismatches (even when not strict) and non-tensors', () => {
    const lin = new nn.Linear(2, 1);
    expectFlowgradError(() => lin.loadStateDict({ weight: fg.ones([2, 1]), bias: fg.ones([1]) }), /argument 'stateDict\["weight"\]' expected shape \[1, 2\] .*got \[2, 1\]/);
    expectFlowgradError(() => lin.loadStateDict({ weight: fg.ones([2, 1]) }, { strict: false }), /expected shape \[1, 2\]/);
    expectFlowgradError(() => lin.loadStateDict({ weight: fg.ones([1, 2], { dtype: 'int32' }), bias: fg.ones([1]) }), /expected dtype float32/);
    expectFlowgradError(() => lin.loadStateDict({ weight: [[1, 2]] as unknown as fg.Tensor, bias: fg.ones([1]) }), /expected a Tensor/);
    expectFlowgradError(() => lin.loadStateDict(null as unknown as nn.StateDict), /expected an object mapping names to tensors/);
    // float64 values load into float32 parameters, as PyTorch's copy_ converts
    lin.loadStateDict({ weight: fg.tensor([[0.5, 0.25]], { dtype: 'float64' }), bias: fg.zeros([1]) });
    expect(lin.weight.toArray()).toEqual([[0.5, 0.25]]);
  });
});

describe('functionalCall', () => {
  it('runs forward with substituted parameters and restores the module', () => {
    const lin = new nn.Linear(2, 1);
    const original = lin.weight;
    const x = fg.tensor([[1, 2]]);
    const y = nn.functionalCall(lin, { weight: fg.tensor([[1, 1]]), bias: fg.tensor([0.5]) }, x);
    expect(y.toArray()).toEqual([[3.5]]);
    expect(lin.weight).toBe(original);
    expectFlowgradError(() => nn.functionalCall(lin, { nope: fg.zeros([1]) }, x), /names of the module's parameters and buffers/);
    expectFlowgradError(() => nn.functionalCall(lin, { weight: fg.zeros([2, 2]) }, x), /expected shape \[1, 2\]/);
  });

  it('gives gradients with respect to the substituted tensors through fg.autograd.grad', () => {
    const lin = new nn.Linear(2, 1);
    const w = fg.tensor([[1, -1]], { requiresGrad: true });
    const loss = nn.functionalCall(lin, { weight: w }, fg.tensor([[3, 4]])).sum();
    const [gw] = fg.autograd.grad(loss, [w]);
    expect(gw.toArray()).toEqual([[3, 4]]);
  });
});
