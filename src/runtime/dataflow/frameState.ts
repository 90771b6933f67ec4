/**
 * @file The run-time state of the dataflow executor: frame instances and their iterations
 * (TensorFlow's FrameState and IterationState, REFERENCE.md §2.5 "Execution frames"). Every
 * value computed in a run is tagged with the iteration (of a frame instance) it belongs to;
 * a loop inside a loop body gets one frame instance per iteration of the outer loop.
 */
import type { Node } from '../../ir/node.js';
import type { Value } from '../../ir/value.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A value of an untaken branch, or of a loop's side the predicate did not pick. */
export const DEAD: unique symbol = Symbol('dead');
/** What a node without results hands the nodes that wait for it (a control dependency). */
export const DONE: unique symbol = Symbol('done');
export type Token = Tensor | typeof DEAD | typeof DONE;

/** What a Merge in one iteration has received. */
export interface MergeState {
  /** Inputs arrived so far (a Merge with all of them dead is dead). */
  arrived: number;
  /** The live input it forwards and its index, or DEAD; undefined while it waits. */
  chosen?: { token: Token; index: number };
}

/** One execution of a frame: the root frame once per run, a loop's frame once per execution of the loop. */
export class FrameInstance {
  /** Its iterations still held, by iteration id (one is forgotten once nothing can reach it). */
  readonly iterations = new Map<number, Iteration>();
  /** Values of isConstant Enters: they arrive once and are handed to every iteration. */
  readonly invariants = new Map<Value, Token>();
  entersArrived = 0;
  /** Queued nodes of its iterations plus child instances not finished: it is done when none are left and all Enters came. */
  outstanding = 0;
  /** Exit nodes that left this instance with a live value, and those that fired dead (sent on only when the instance is done). */
  readonly liveExits = new Set<Node>();
  readonly deadExits = new Set<Node>();
  done = false;

  constructor(
    /** The frame's name (the Enters' `frame` attr); null for the root frame. */
    readonly name: string | null,
    /** The iteration of the parent frame this instance runs in (null for the root). */
    readonly parent: Iteration | null,
    /** How many Enter nodes lead into this frame: each fires once per instance. */
    readonly expectedEnters: number,
  ) {}

  /** `frame while0, iteration 3 (in frame while1, iteration 0)`, for error messages. */
  describe(iteration: number): string {
    if (this.name === null) return 'the root frame';
    const outer = this.parent && this.parent.frame.name !== null ? ` (in ${this.parent.frame.describe(this.parent.index)})` : '';
    return `frame ${this.name}, iteration ${iteration}${outer}`;
  }
}

/** One iteration of a frame instance: the values computed in it and the nodes waiting in it. */
export class Iteration {
  readonly values = new Map<Value, Token>();
  /** Reads left of each value here; at 0 it is dropped. */
  readonly usesLeft = new Map<Value, number>();
  /** For each node waiting here: how many of its inputs have not arrived. */
  readonly missing = new Map<Node, number>();
  /** Nodes that received a dead input here. */
  readonly dead = new Set<Node>();
  readonly merges = new Map<Node, MergeState>();
  /** Frame instances of loops entered from this iteration, by frame name. */
  readonly children = new Map<string, FrameInstance>();
  /** Queued nodes of this iteration plus child instances not finished. */
  outstanding = 0;

  constructor(readonly frame: FrameInstance, readonly index: number) {}

  mergeState(merge: Node): MergeState {
    let state = this.merges.get(merge);
    if (!state) this.merges.set(merge, (state = { arrived: 0 }));
    return state;
  }
}
