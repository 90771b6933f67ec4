/**
 * @file Structured control flow (API.md, "Control flow"): fg.cond, fg.whileLoop, fg.scan.
 * Importing this registers the graph ops, their executor runners and autodiff rules.
 */
export { cond } from './cond.js';
export { whileLoop } from './whileLoop.js';
export { scan, type ScanOptions } from './scan.js';
