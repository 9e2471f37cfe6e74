import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type RunningServer, startServer } from "./server";
import { DEMO_PASSWORD, expectNoPageErrors, landOn, launchBrowser, newPage, visible } from "./support";

/**
 * The README's first thing to try, on the demo world (decision 0017): a server of its own on a new embedded
 * database, which makes the world at start (the suite's shared server has the accounts alone). Vilogia's signataire
 * finds the MEL's letter due within the week and accepts it.
 */
describe("Le monde de démonstration", () => {
  let root: string;
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "flux-e2e-demo-"));
    server = await startServer({
      env: {
        DATABASE_URL: undefined,
        PUBLIC_URL: undefined,
        SMTP_URL: undefined,
        DEMO_WORLD: undefined,
        DATA_DIR: path.join(root, "data"),
      },
      readyTimeoutMs: 170_000,
    });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const open = (page: Page, pathname: string) =>
    page.goto(`${server.baseUrl}${pathname}`, { waitUntil: "networkidle" });

  it("le signataire de Vilogia répond au courrier de la MEL avant la fin de son délai, dans la semaine", async () => {
    const page = await newPage(browser);
    await open(page, "/connexion");
    await page.getByLabel("Adresse e-mail", { exact: true }).fill("signataire@vilogia.demo.test");
    await page.getByLabel("Mot de passe", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await landOn(page, "/accueil");

    await open(page, "/avenants");
    await visible(page.getByText(/J − [1-7]\b/));
    await page.getByRole("button", { name: "Accepter le courrier de Métropole Européenne de Lille" }).click();
    const dialog = await visible(page.getByRole("alertdialog"));
    await dialog.getByRole("button", { name: "Accepter", exact: true }).click();
    await visible(page.getByText("Courrier accepté : le réservataire est informé."));
    expectNoPageErrors(page);
    await page.context().close();
  });
});
