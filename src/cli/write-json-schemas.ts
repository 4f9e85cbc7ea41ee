import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";
import { configJsonSchemas } from "../schema/json-schemas.js";

/** Regenerate schemas/*.schema.json (npm run schemas). */
const dir = join(packageRoot(), "schemas");
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(configJsonSchemas())) {
  writeFileSync(join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/${name}`);
}
