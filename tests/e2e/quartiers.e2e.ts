import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectAccessible,
  expectFitsWidth,
  expectNoPageErrors,
  launchBrowser,
  logInAs,
  menuLink,
  visible,
  visit,
} from "./support";

/**
 * The MEL loads its quartiers prioritaires from a CSV (fictitious entries: the official list is the MEL's to load,
 * decision 0025), a bailleur records an attribution in one of them, and the MEL finds it in the CIL bilan by quartier.
 */
const QUARTIERS = [
  "code;nom;commune INSEE",
  "QZ59350E;Quartier Essai-Nord (e2e);59350",
  "QZ59512E;Quartier Essai-Sud (e2e);59512",
].join("\n");

describe("Quartiers prioritaires", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("la MEL importe ses quartiers, un bailleur enregistre une attribution dans l'un d'eux, la MEL la voit dans le bilan par quartier", async () => {
    const mel = await logInAs(browser, "gestionnaire", "mel");
    await (await menuLink(mel, "Administration", "Quartiers prioritaires")).click();
    await visible(mel.getByRole("heading", { name: "Quartiers prioritaires de la MEL" }));
    await mel.getByLabel("Fichier CSV").setInputFiles({
      name: "quartiers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(QUARTIERS, "utf8"),
    });
    await mel.getByRole("button", { name: "Importer", exact: true }).click();
    await visible(mel.getByText("2 quartiers importés, 0 mis à jour, 0 inchangé."));
    await visible(mel.getByRole("cell", { name: "Quartier Essai-Nord (e2e)" }));
    await expectAccessible(mel);
    await expectFitsWidth(mel);

    const vilogia = await logInAs(browser, "gestionnaire", "vilogia");
    await visit(vilogia, "/attributions/nouvelle");
    await vilogia.getByLabel("Numéro unique (SNE)").fill("059 2603 08881 Q");
    await vilogia.getByLabel("Date du bail").fill("2026-03-02");
    const choose = (label: string, value: string | { label: string }) =>
      vilogia.getByLabel(label, { exact: true }).selectOption(value);
    await choose("Public", "autre");
    await choose("Mutation", "none");
    await choose("Commune", "59350");
    await choose("En QPV", "oui");
    await choose("Quartier prioritaire (si en QPV)", { label: "Quartier Essai-Nord (e2e) (Lille)" });
    await choose("Typologie", "T3");
    await choose("Financement", "plus");
    await choose("Logement PMR", "non");
    await choose("Première mise en location d'un programme neuf", "non");
    await choose("Période de construction", "1975_1989");
    await choose("Contingent sur lequel l'attribution compte", "none");
    await vilogia.getByRole("button", { name: "Enregistrer l'attribution" }).click();
    await visible(vilogia.getByText("Attribution enregistrée."));

    await visit(mel, "/bilans?year=2026");
    const section = mel.getByRole("region", { name: "Bilan métropolitain 2026 par quartier prioritaire" });
    const row = section.getByRole("row").filter({ hasText: "Quartier Essai-Nord (e2e) (Lille)" });
    await visible(row);
    expect(await row.getByRole("cell").last().textContent()).toBe("1");
    await expectAccessible(mel);

    for (const page of [mel, vilogia]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });
});
