import { setImmediate } from "node:timers/promises";

/** Rows handled between two yields: about a few milliseconds of CPU. */
export const YIELD_EVERY = 100;

/** Lets the requests that arrived meanwhile run, in the middle of a long computation (a 100 000-row import). */
export const yieldToOthers = () => setImmediate();
