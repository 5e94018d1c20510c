// One line per backend plugin, in no particular order (`backend: auto` has its own order, see select.ts).
import './tensorflow-gpu';
import './tensorflow';
import './wasm';
import './onednn';
import './cpu';
// Not a backend: corrected tfjs gradients every backend uses.
import './broadcast-gradients';

export { selectBackend, AUTO_ORDER } from './select';
export type { BackendSelection } from './select';
