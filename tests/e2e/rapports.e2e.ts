import { describe, expect, it } from "vitest";
import {
  confirm,
  demoEmail,
  expectAccessible,
  expectFitsWidth,
  expectNoPageErrors,
  landOn,
  logIn,
  logInAs,
  menuLink,
  newPage,
  sharedBrowser,
  VIEWPORTS,
  visible,
  visit,
} from "./support";

const MEL_NAME = "Métropole Européenne de Lille";

describe("Rapports et bilans", () => {
  const browser = sharedBrowser();

  it("la MEL ouvre la consommation des droits et les indicateurs depuis la navigation", async () => {
    const page = await newPage(browser());
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

  for (const viewport of VIEWPORTS)
    it(`la MEL filtre la consommation sur un réservataire et ouvre les attributions d'une ligne (${viewport.name})`, async () => {
      const page = await newPage(browser());
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await logIn(page, demoEmail("gestionnaire", "mel"));
      await visit(page, "/consommation");
      await page.getByLabel("Réservataire").selectOption({ label: MEL_NAME });
      await page.getByLabel("Montrer les couples sans droits ni attribution").check();
      await page.getByRole("button", { name: "Afficher" }).click();
      await page.waitForURL((current) => current.searchParams.get("reservataire") === "mel");
      await visible(page.getByRole("heading", { name: MEL_NAME }));
      // One réservataire left: every group heading is the MEL's.
      expect(await page.getByRole("table").getByRole("heading").allTextContents()).toEqual([MEL_NAME]);
      await expectAccessible(page);
      await expectFitsWidth(page);
      await page.getByRole("link", { name: `Attributions de Vilogia sur le contingent ${MEL_NAME}` }).click();
      await landOn(page, "/attributions");
      const shown = new URL(page.url()).searchParams;
      expect([shown.get("bailleur"), shown.get("reservataire")]).toEqual(["vilogia", "mel"]);
      await visible(page.getByRole("heading", { name: "Attributions", exact: true }));
      await expectAccessible(page);
      // The indicators, with the same care: filters, readable bars, tables that fit.
      await visit(page, "/indicateurs");
      await page.getByLabel("Commune", { exact: true }).selectOption({ label: "Lille" });
      await page.getByRole("button", { name: "Filtrer" }).click();
      await page.waitForURL((current) => current.searchParams.get("commune") === "59350");
      await visible(page.getByRole("heading", { name: /Indicateurs de suivi \d{4}/ }));
      await expectAccessible(page);
      await expectFitsWidth(page);
      expectNoPageErrors(page);
      await page.context().close();
    });

  it("un bailleur transmet son bilan avec les logements proposés ; la MEL le voit transmis et en accuse réception", async () => {
    const vilogia = await logInAs(browser(), "signataire", "vilogia");
    await visit(vilogia, "/bilans?year=2025");
    const line = vilogia.getByRole("row").filter({ hasText: MEL_NAME });
    await visible(line.getByText("En retard"));
    await vilogia.getByLabel(`Logements proposés à ${MEL_NAME}`).fill("12");
    await vilogia.getByRole("button", { name: `Transmettre le bilan à ${MEL_NAME}` }).click();
    await confirm(vilogia, "Confirmer");
    await visible(vilogia.getByText("Bilan 2025 transmis."));
    await visible(line.getByText("Transmis en retard"));
    await expectAccessible(vilogia);
    expectNoPageErrors(vilogia);
    await vilogia.context().close();

    const mel = await logInAs(browser(), "gestionnaire", "mel");
    await visit(mel, "/bilans?year=2025");
    await visible(mel.getByRole("heading", { name: "Bilans attendus des bailleurs" }));
    const received = mel.getByRole("row").filter({ hasText: "Vilogia" });
    await visible(received.getByText("Transmis en retard"));
    expect(await received.getByRole("cell").nth(2).textContent()).toBe("12");
    await mel.getByRole("button", { name: "Accuser réception du bilan de Vilogia" }).click();
    await visible(mel.getByText("Accusé de réception enregistré."));
    await expectAccessible(mel);
    expectNoPageErrors(mel);
    await mel.context().close();
  });

  it("une commune voit ses indicateurs sous secret statistique ; un bailleur ses bilans à transmettre", async () => {
    const commune = await newPage(browser());
    await logIn(commune, demoEmail("gestionnaire", "commune-59350"));
    expect((await visit(commune, "/indicateurs"))?.status()).toBe(200);
    await visible(commune.getByText(/Secret statistique/));
    expectNoPageErrors(commune);
    await commune.context().close();

    const bailleur = await newPage(browser());
    await logIn(bailleur, demoEmail("signataire", "vilogia"));
    expect((await visit(bailleur, "/bilans?year=2025"))?.status()).toBe(200);
    await visible(bailleur.getByRole("heading", { name: "Bilans à transmettre" }));
    await visible(bailleur.getByRole("button", { name: /^Transmettre le bilan à / }).first());
    expectNoPageErrors(bailleur);
    await bailleur.context().close();
  });
});
