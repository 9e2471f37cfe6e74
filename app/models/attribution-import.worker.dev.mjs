// The import's worker run from its TypeScript source (tests, `npm run dev`); `npm run build` bundles it instead.
import { register } from "tsx/esm/api";

register();
await import("./attribution-import.worker.ts");
