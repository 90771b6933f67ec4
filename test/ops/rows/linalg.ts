/** @file Op table rows: linalg ops. */
import type { OpRow } from '../opTable.js';

export const linalgRows: OpRow[] = [];
