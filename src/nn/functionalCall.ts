/**
 * @file functionalCall: runs a module with some parameters and buffers replaced by given
 * tensors (torch.func.functional_call), so a model's forward can be a pure function of its
 * weights, as fg.jit, fg.grad and fg.vjp want.
 */
import { ShapeError, ValueError } from '../errors.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';

/**
 * `module.forward(...inputs)` with the parameters and buffers named in `tensors`
 * ('0.weight', 'bn.runningMean') temporarily replaced by the given tensors, which must
 * have the same shapes. The module is restored afterwards, even if forward throws.
 *
 *     const loss = (params, x, y) => fg.crossEntropy(nn.functionalCall(model, params, x), y);
 *     fg.grad(loss)(model.stateDict(), x, y)
 */
export function functionalCall<In extends unknown[], Out>(module: Module<In, Out>, tensors: Record<string, Tensor>, ...inputs: In): Out {
  if (typeof tensors !== 'object' || tensors === null) throw new ValueError('functionalCall', 'tensors', 'an object mapping names to tensors', tensors);
  const known = new Map<string, Tensor>([...module.namedParameters(), ...module.namedBuffers()]);
  const modules = new Map(module.namedModules());
  const swaps: { owner: Record<string, unknown>; field: string; original: unknown; replacement: Tensor }[] = [];
  for (const [name, replacement] of Object.entries(tensors)) {
    const original = known.get(name);
    if (!original) throw new ValueError('functionalCall', 'tensors', `names of the module's parameters and buffers`, name);
    if (!(replacement instanceof Tensor)) throw new ValueError('functionalCall', `tensors[${JSON.stringify(name)}]`, 'a Tensor', replacement);
    if (replacement.ndim !== original.ndim || replacement.shape.some((d, i) => typeof d === 'number' && d !== original.shape[i])) {
      throw new ShapeError('functionalCall', `tensors[${JSON.stringify(name)}]`, `${shapeStr(original.shape)} (the shape of '${name}')`, shapeStr(replacement.shape));
    }
    const dot = name.lastIndexOf('.');
    const owner = modules.get(dot < 0 ? '' : name.slice(0, dot)) as unknown as Record<string, unknown>;
    const field = name.slice(dot + 1);
    swaps.push({ owner, field, original: owner[field], replacement });
  }
  for (const s of swaps) s.owner[s.field] = s.replacement;
  try {
    return module.forward(...inputs);
  } finally {
    for (const s of swaps.reverse()) s.owner[s.field] = s.original;
  }
}
