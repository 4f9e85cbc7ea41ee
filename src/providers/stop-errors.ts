import { RunError } from "../errors.js";

/** `replay-only` met a call the cache cannot answer. */
export class ReplayMissError extends RunError {}

/** `max_cost_usd` was reached: no new call is made. */
export class BudgetExceededError extends RunError {}

/** The provider refused in a way every call would meet (bad key, unknown model): no further call is made. */
export class ProviderRejectedError extends RunError {}
