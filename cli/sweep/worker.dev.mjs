// Development entry for the sweep worker: when qbwave runs from TypeScript sources (tsx, vitest),
// worker threads do not inherit tsx's loader, so register it here and re-export the real worker.
// The compiled CLI (dist/) uses worker.js directly and never loads this file.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./worker.ts');
export default mod.default;
