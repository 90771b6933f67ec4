// Prints the IR of a small MLP's forward graph and its gradient graph (README: "Graphs").
import * as fg from '../src/index.js';

const mlp = (x: fg.Tensor, w1: fg.Tensor, w2: fg.Tensor) => x.matmul(w1).relu().matmul(w2).logSoftmax(1).mean();
const g = fg.trace(mlp, [fg.spec(['batch', 784]), fg.spec([784, 128]), fg.spec([128, 10])]);
console.log(g.toString());
console.log(fg.gradGraph(g, { wrt: [1, 2] }).toString());

const [loss, gw1, gw2] = fg.gradGraph(g, { wrt: [1, 2] }).run(fg.randn([32, 784]), fg.randn([784, 128]).mul(0.05), fg.randn([128, 10]).mul(0.05));
console.log(loss.item(), gw1.shape, gw2.shape);
