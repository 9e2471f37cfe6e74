import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  demoEmail,
  expectNoPageErrors,
  launchBrowser,
  logIn,
  menuLink,
  newPage,
  visible,
  visit,
} from "./support";

describe("Rapports et bilans", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("la MEL ouvre la consommation des droits et les indicateurs depuis la navigation", async () => {
    const page = await newPage(browser);
    await logIn(page, demoEmail("admin", "mel"));
    await (await menuLink(page, "Attributions et rapports", "Consommation")).click();
    await visible(page.getByRole("heading", { name: /Consommation des droits \d{4}/ }));
    await visible(page.getByRole("button", { name: "Afficher" }));
    await (await menuLink(page, "Attributions et rapports", "Indicateurs")).click();
    await visible(page.getByRole("heading", { name: /Indicateurs de suivi \d{4}/ }));
    await visible(page.getByLabel("QPV"));
    expectNoPageErrors(page);
    await page.context().close();
  });

  it("une commune voit ses indicateurs sous secret statistique ; un bailleur ses bilans à transmettre", async () => {
    const commune = await newPage(browser);
    await logIn(commune, demoEmail("gestionnaire", "commune-59350"));
    expect((await visit(commune, "/indicateurs"))?.status()).toBe(200);
    await visible(commune.getByText(/Secret statistique/));
    expectNoPageErrors(commune);
    await commune.context().close();

    const bailleur = await newPage(browser);
    await logIn(bailleur, demoEmail("signataire", "vilogia"));
    expect((await visit(bailleur, "/bilans?year=2025"))?.status()).toBe(200);
    await visible(bailleur.getByRole("heading", { name: "Bilans à transmettre" }));
    await visible(bailleur.getByRole("button", { name: "Transmettre" }).first());
    expectNoPageErrors(bailleur);
    await bailleur.context().close();
  });
});
