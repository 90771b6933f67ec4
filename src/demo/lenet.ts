/**
 * @file LeNet-5 (LeCun et al., 1998) for 28×28 MNIST digits, the model the demo trains.
 * The first convolution pads by 2 so 28×28 inputs see the 32×32 geometry of the paper.
 */
import * as fg from '../index.js';

const { Conv2d, Linear, MaxPool2d, Module, ReLU, Flatten } = fg.nn;

/**
 * LeNet-5 with ReLU and max pooling (the modern variant):
 *
 *     [N,1,28,28] conv1 5×5 pad 2 → [N,6,28,28] relu, maxpool 2 → [N,6,14,14]
 *                 conv2 5×5       → [N,16,10,10] relu, maxpool 2 → [N,16,5,5]
 *                 flatten → 400 → fc1 120 relu → fc2 84 relu → fc3 10 logits
 *
 * 61,706 parameters, named 'conv1.weight', 'fc3.bias' and so on.
 */
export class LeNet5 extends Module {
  conv1 = new Conv2d(1, 6, 5, { padding: 2 });
  conv2 = new Conv2d(6, 16, 5);
  fc1 = new Linear(16 * 5 * 5, 120);
  fc2 = new Linear(120, 84);
  fc3 = new Linear(84, 10);
  // Parameterless layers are shared: each is a pure function of its input.
  readonly relu = new ReLU();
  readonly pool = new MaxPool2d(2);
  readonly flatten = new Flatten();

  /** Logits [N, 10] for images [N, 1, 28, 28]. */
  forward(x: fg.Tensor): fg.Tensor {
    let h = this.pool.call(this.relu.call(this.conv1.call(x)));
    h = this.pool.call(this.relu.call(this.conv2.call(h)));
    h = this.flatten.call(h);
    h = this.relu.call(this.fc1.call(h));
    h = this.relu.call(this.fc2.call(h));
    return this.fc3.call(h);
  }
}

/** A LeNet-5 whose initial weights depend only on `seed` (fg.manualSeed, then PyTorch's default init). */
export function createLeNet5(seed: number): LeNet5 {
  fg.manualSeed(seed);
  return new LeNet5();
}
