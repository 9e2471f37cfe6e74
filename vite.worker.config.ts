import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

/**
 * The import's worker thread (app/models/attribution-import.worker.ts), bundled next to the server's bundle by
 * `npm run build` (after Remix's build): the server starts it from there. Packages stay external, as the server's.
 */
export default defineConfig({
  plugins: [tsconfigPaths()],
  build: {
    ssr: "app/models/attribution-import.worker.ts",
    outDir: "build/server",
    emptyOutDir: false,
    rollupOptions: { output: { entryFileNames: "attribution-import.worker.js" } },
  },
});
