/** @file Op table rows: nn ops. */
import type { OpRow } from '../opTable.js';

export const nnRows: OpRow[] = [];
