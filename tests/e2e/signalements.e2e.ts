import { describe, expect, it } from "vitest";
import { formatDay, parisDay } from "../../app/lib/dates";
import { expectNoPageErrors, logInAs, sharedBrowser, visible, visit } from "./support";

/** Today in Paris, as a date field takes it and as the page writes it (« 1er » for the first of a month). */
const TODAY = parisDay();
const TODAY_IN_WORDS = formatDay(TODAY);

/**
 * A signalement in the browser (issue 4): Lille's gestionnaire signals a household to Vilogia, Vilogia acknowledges
 * it and then records its presentation in CALEOL (date, flat's commune and typology), and Lille sees the new status
 * on its board and the step in the history.
 */
describe("Signalements", () => {
  const browser = sharedBrowser();

  it("une commune signale un ménage, le bailleur accuse réception puis le présente en CALEOL, la commune voit le statut", async () => {
    const lille = await logInAs(browser(), "gestionnaire", "commune-59350");
    await visit(lille, "/signalements");
    await lille.getByRole("link", { name: "Signaler un ménage" }).click();
    await visible(lille.getByRole("heading", { name: "Signaler un ménage" }));
    await lille.getByLabel("Numéro unique (SNE)").fill("059 2401 00123 a");
    await lille.getByLabel("Public").selectOption("dalo_labellise");
    await lille.getByLabel("Adultes").fill("2");
    await lille.getByLabel("Enfants").fill("1");
    await lille.getByLabel("Typologie souhaitée").selectOption("T3");
    // The searchable picker (a combobox): typed, chosen with the keyboard, closed.
    await lille.getByLabel(/^Communes souhaitées/).click();
    for (const name of ["Lille", "Roubaix"]) {
      await lille.getByPlaceholder("Nom ou code INSEE…").fill(name);
      await lille
        .getByRole("option", { name: new RegExp(`^${name} `) })
        .first()
        .click();
    }
    await lille.keyboard.press("Escape");
    await lille
      .getByLabel("Motif du signalement (court)")
      .fill("Suroccupation, bail repris par le propriétaire.");
    await lille.getByRole("checkbox", { name: "Vilogia" }).check();
    await lille.getByRole("button", { name: "Envoyer le signalement" }).click();
    await visible(lille.getByRole("heading", { name: "Signalement 059240100123A" }));
    await visible(lille.getByText("Vilogia (sans accusé de réception)"));

    const vilogia = await logInAs(browser(), "gestionnaire", "vilogia");
    await visit(vilogia, "/signalements");
    await vilogia.getByRole("link", { name: "059240100123A" }).click();
    await visible(vilogia.getByRole("heading", { name: "Signalement 059240100123A" }));
    await vilogia.locator("summary", { hasText: "Accusé de réception" }).click();
    await vilogia.getByRole("button", { name: "Enregistrer « Accusé de réception »" }).click();
    await visible(vilogia.getByText("Étape enregistrée : le signalement est « Accusé de réception »."));

    const caleol = vilogia.locator("details", {
      has: vilogia.locator("summary", { hasText: "Présenté en CALEOL" }),
    });
    await caleol.locator("summary").click();
    // A step is dated today at the latest (Paris): no date in the future.
    await caleol.getByLabel("Date de la CALEOL").fill(TODAY);
    await caleol.getByLabel("Commune du logement").click();
    await vilogia.getByPlaceholder("Nom ou code INSEE…").fill("Roubaix");
    await vilogia
      .getByRole("option", { name: /^Roubaix / })
      .first()
      .click();
    await vilogia.keyboard.press("Escape");
    await caleol.getByLabel("Typologie du logement").selectOption("T3");
    await caleol.getByRole("button", { name: "Enregistrer « Présenté en CALEOL »" }).click();
    await visible(vilogia.getByText("Étape enregistrée : le signalement est « Présenté en CALEOL »."));

    await visit(lille, "/signalements");
    const row = lille.getByRole("row", { name: /059240100123A/ });
    await visible(row.getByText("Présenté en CALEOL"));
    await row.getByRole("link", { name: "059240100123A" }).click();
    await visible(lille.getByText(`CALEOL du ${TODAY_IN_WORDS} · logement à Roubaix (59512) · T3`));
    // The commune follows; only the bailleur records these steps.
    expect(await lille.getByRole("button", { name: "Enregistrer « Décision de la CALEOL »" }).count()).toBe(
      0,
    );

    for (const page of [lille, vilogia]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });
});
