// Preloaded with `node --import`: records the URL of every module the program resolves, one a line, in the file
// LOADED_MODULES_FILE names. The hooks run on their own thread in Node 20, so they report through a file.
import { register } from 'node:module';

register('./load-hooks.mjs', import.meta.url);
