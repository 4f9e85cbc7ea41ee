import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configJsonSchemas } from "../../src/schema/json-schemas.js";

describe("shipped JSON Schemas", () => {
  it.each(Object.entries(configJsonSchemas()))(
    "schemas/%s matches the zod schema (run npm run schemas)",
    (name, schema) => {
      const shipped = JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), "utf8"));
      expect(shipped).toEqual(JSON.parse(JSON.stringify(schema)));
    },
  );
});
