/** @file Forward-mode check shared by op tests: fg.jvp against central differences along the tangent. */
import * as fg from '../../src/index.js';
import { expectClose } from '../helpers/tensors.js';

/** Expects jvp(f, primals, tangents) to equal (f(x + h·t) − f(x − h·t)) / 2h on float64 inputs. */
export function expectJvpMatchesFiniteDifference(f: (...xs: fg.Tensor[]) => fg.Tensor, primals: fg.Tensor[], tangents: fg.Tensor[], h = 1e-6): void {
  const [out, tangentOut] = fg.jvp(f, primals, tangents);
  const shifted = (sign: number) => f(...primals.map((p, i) => fg.add(p, fg.mul(tangents[i], sign * h))));
  const numeric = fg.div(fg.sub(shifted(1), shifted(-1)), 2 * h);
  expectClose(tangentOut.shape, out.shape);
  expectClose(tangentOut.toArray(), numeric.toArray(), 1e-6);
}
