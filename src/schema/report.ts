// The report's shapes (report.json), one file per part under report/; importers take them from here.
export { IntervalSchema } from "./report/numbers.js";
export * from "./report/measures.js";
export * from "./report/drift.js";
export * from "./report/decision.js";
export * from "./report/examples.js";
export * from "./report/judge.js";
export * from "./report/cost.js";
export * from "./report/bench-report.js";
