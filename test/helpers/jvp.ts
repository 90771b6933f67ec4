/** @file Checks forward mode (fg.jvp) against central differences along the same tangents. */
import * as fg from '../../src/index.js';
import { expectClose } from './tensors.js';

/** f's output tangent from fg.jvp equals (f(x + h·t) − f(x − h·t)) / 2h, in float64. */
export function expectJvpMatchesFiniteDifferences(f: (...xs: fg.Tensor[]) => fg.Tensor, primals: fg.Tensor[], tangents: fg.Tensor[], h = 1e-6): void {
  const [, tangentOut] = fg.jvp(f, primals, tangents);
  const shifted = (sign: number) => f(...primals.map((p, i) => p.add(tangents[i].mul(sign * h))));
  const numeric = shifted(1).sub(shifted(-1)).div(2 * h);
  expectClose(tangentOut.toArray(), numeric.toArray(), 1e-6);
}
