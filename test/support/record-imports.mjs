// Preloaded with `node --import`: registers a resolve hook that appends every resolved module URL
// to the file named by IMPORT_LOG, so a test can tell which modules a command loaded.
import { register } from "node:module";

register("./record-imports-hooks.mjs", import.meta.url);
