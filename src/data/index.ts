/** @file The data namespace (`fg.data`): datasets, the DataLoader and the MNIST digits. */
export { type Dataset, TensorDataset } from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './dataLoader.js';
export { defaultCollate } from './collate.js';
export { loadMnist, type MnistOptions, type MnistSplit } from './mnist.js';
