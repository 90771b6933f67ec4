/** @file NumPy broadcasting of shapes, including symbolic dims. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { broadcastShapes, broadcastStrides, broadcastedAxes } from '../../src/tensor/broadcast.js';
import { expectFlowgradError } from '../helpers/tensors.js';

describe('broadcastShapes', () => {
  it.each([
    [[2, 3], [3], [2, 3]],
    [[2, 1], [1, 3], [2, 3]],
    [[], [4, 5], [4, 5]],
    [[5, 1, 4], [3, 1], [5, 3, 4]],
    [[0, 3], [1, 3], [0, 3]],
    [[1], [0], [0]],
  ])('%j with %j is %j (either order)', (a, b, out) => {
    expect(broadcastShapes('op', a, b)).toEqual(out);
    expect(broadcastShapes('op', b, a)).toEqual(out);
  });

  it('rejects incompatible sizes with a ShapeError naming the op and argument', () => {
    expectFlowgradError(() => broadcastShapes('add', [2, 3], [4]), /^add: argument 'other' expected shape broadcastable with \[2, 3\], got \[4\]$/);
    expectFlowgradError(() => broadcastShapes('where', [2], [3], 'self'), /^where: argument 'self'/);
    expect(() => broadcastShapes('add', [0], [2])).toThrow(fg.ShapeError);
  });

  it('broadcasts a symbolic dim with 1 or with the same symbol', () => {
    expect(broadcastShapes('op', ['batch', 3], [1, 3])).toEqual(['batch', 3]);
    expect(broadcastShapes('op', [3], ['batch', 1])).toEqual(['batch', 3]);
    expect(broadcastShapes('op', ['n', 'm'], ['n', 1])).toEqual(['n', 'm']);
    expect(broadcastShapes('op', ['batch'], ['batch'])).toEqual(['batch']);
  });

  it('refuses to guess between different symbols, or a symbol and a size other than 1', () => {
    expectFlowgradError(() => broadcastShapes('add', ['a'], ['b']), /add: argument 'other' expected shape broadcastable with \[a\], got \[b\]/);
    expect(() => broadcastShapes('add', ['a'], [5])).toThrow(fg.ShapeError);
  });

  it('is what binary ops use', () => {
    expect(fg.add(fg.zeros([2, 1, 3]), fg.zeros([4, 1])).shape).toEqual([2, 4, 3]);
    expectFlowgradError(() => fg.mul(fg.zeros([2, 3]), fg.zeros([2])), /^mul: argument 'other' expected shape broadcastable with \[2, 3\], got \[2\]/);
  });
});

describe('broadcastStrides and broadcastedAxes', () => {
  it('gives stride 0 along broadcast dims', () => {
    expect(broadcastStrides([3, 1], [1, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([], [], [2])).toEqual([0]);
  });

  it('names the dims a gradient must be summed over', () => {
    expect(broadcastedAxes([3, 1], [2, 3, 4])).toEqual({ axes: [0, 2], leading: 1 });
    expect(broadcastedAxes([2, 3], [2, 3])).toEqual({ axes: [], leading: 0 });
    expect(broadcastedAxes(['n', 1], ['n', 'm'])).toEqual({ axes: [1], leading: 0 });
  });
});
