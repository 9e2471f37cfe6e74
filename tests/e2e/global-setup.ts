/**
 * Global setup of the end-to-end suite: the built server on a free port, with a fresh embedded database
 * (PGlite in a temporary DATA_DIR, so the demo accounts are seeded at start; the browser tests build their own data,
 * so without the demo world: DEMO_WORLD=empty). Stopped and removed afterwards.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startOidcProvider } from "../helpers/oidc";
import { freePort, startServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * The accounts of the local identity provider that stands in for ProConnect (connexion.e2e.ts): a member of the
 * demo world, an address that is no member, and a member's address the provider has not verified.
 */
export const PROCONNECT_ACCOUNTS = {
  "signataire@lille-metropole-habitat.demo.test": { email_verified: true },
  "agent@inconnu.gouv.fr": { email_verified: true },
  "lecteur@mel.demo.test": { email_verified: false },
};

export default async function setup(project: TestProject) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "flux-e2e-"));
  const logFile = path.join(root, "server.log");
  const port = await freePort();
  const identityProvider = await startOidcProvider({
    port: await freePort(),
    redirectUri: `http://localhost:${port}/connexion/proconnect/retour`,
    accounts: PROCONNECT_ACCOUNTS,
  });
  const server = await startServer({
    port,
    env: {
      ...identityProvider.env,
      DATABASE_URL: undefined,
      PUBLIC_URL: undefined,
      SMTP_URL: undefined,
      DATA_DIR: path.join(root, "data"),
      DEMO_WORLD: "empty",
    },
    logFile,
    // Server errors show up next to the failing test; the boot banner stays in the log file.
    echo: process.env.E2E_SERVER_OUTPUT ? process.stderr : undefined,
  });
  console.log(`[e2e] serveur prêt sur ${server.baseUrl} (données : ${root})`);
  project.provide("baseUrl", server.baseUrl);

  return async () => {
    await server.stop();
    await identityProvider.close();
    const output = server.output();
    if (/error|erreur/i.test(output) && !process.env.E2E_SERVER_OUTPUT) {
      console.log(`[e2e] sortie du serveur :\n${output}`);
    }
    if (process.env.E2E_KEEP_DATA) console.log(`[e2e] données conservées dans ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  };
}
