import { ATTRIBUTION_COLUMNS } from "~/lib/attribution-schemas";
import type { BenchContext, BenchSuite } from "./suites";

/**
 * Attributions, recording half (issue 5): a bailleur imports a file of 100 000 attributions through
 * POST /api/v1/attributions/import, as the import page does (session cookie + X-CSRF-Token), all or nothing, in one
 * transaction. Target ≤ 15 s from the first byte sent to the summary received. The rows carry their own numéro
 * unique prefix (059 2612 … BEN) and are removed before the clock starts, so a re-run measures a real import.
 */
const ROWS = 100_000;
const AS = "gestionnaire@vilogia.demo.test";

function file(): string {
  const lines = [ATTRIBUTION_COLUMNS.map((c) => c.header).join(";")];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      ATTRIBUTION_COLUMNS.map((c) => {
        if (c.field === "numeroUnique") return `0592612${String(i).padStart(7, "0")}BEN`;
        if (c.field === "leaseDate") return `2026-${String((i % 9) + 1).padStart(2, "0")}-15`;
        if (c.field === "typology") return `T${(i % 6) + 1}`;
        if (c.field === "publicCategory")
          return ["autre", "dalo_labellise", "cible_cia_declaree", "npru"][i % 4];
        if (c.field === "contingent") return ["mel", "etat", "none"][i % 3];
        return c.example;
      }).join(";"),
    );
  return lines.join("\n");
}

let body = "";
let headers: Record<string, string> = {};

/** The import page's CSRF cookie and field for a logged-in demo user (what the page's script sends as a header). */
async function csrfFor(context: BenchContext, cookie: string) {
  const page = await fetch(`${context.baseUrl}/attributions/import`, { headers: { cookie } });
  const csrfCookie = /flux_csrf=[^;]+/.exec(page.headers.get("set-cookie") ?? "")?.[0];
  const field = /<input[^>]*name="csrf"[^>]*value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrfCookie || !field) throw new Error("Page /attributions/import : jeton CSRF absent.");
  return { cookie: `${cookie}; ${csrfCookie}`, "x-csrf-token": field };
}

export const attributionsImport: BenchSuite = {
  name: "Attributions — import",
  timings: [
    {
      name: `Import d'un fichier CSV de ${ROWS.toLocaleString("fr-FR")} attributions (API d'import, tout ou rien)`,
      targetMs: 15_000,
      setUp: async (context) => {
        await context.sql`delete from attributions where numero_unique like '0592612%BEN'`;
        const session = await context.logIn(AS);
        headers = { ...(await csrfFor(context, session.cookie)), "content-type": "text/csv" };
        body = file();
      },
      run: async (context) => {
        const response = await fetch(`${context.baseUrl}/api/v1/attributions/import`, {
          method: "POST",
          headers,
          body,
        });
        const result = (await response.json()) as { created?: number; message?: string };
        if (response.status !== 201 || result.created !== ROWS)
          throw new Error(`Import refusé (${response.status}) : ${result.message ?? JSON.stringify(result)}`);
      },
    },
  ],
};
