import { describe, expect, it } from "vitest";
import { demoEmail, expectNoPageErrors, logIn, newPage, sharedBrowser, visible, visit } from "./support";

/**
 * A bailleur imports a file of attributions in the browser: a refused file shows the French list of lines to fix
 * and imports nothing; the corrected file shows the summary; the MEL finds the rows in its list and sees its
 * consumption of rights on Vilogia move by the one attribution counted on its contingent.
 */
const HEADER =
  "Numéro unique;Date du bail;Code INSEE de la commune;En QPV;Typologie;Financement;PMR;Première mise en location;" +
  "Période de construction;Public;Mutation;Quartile de ressources;Refus après courrier CALEOL;Contingent";
const line = (numero: string, contingent: string) =>
  `${numero};02/03/2026;59350;non;T3;PLUS;non;non;1975_1989;dalo_labellise;none;1;0;${contingent}`;
const csv = (contingents: string[]) =>
  Buffer.from([HEADER, ...contingents.map((c, i) => line(`059 2603 0777${i} E`, c))].join("\n"), "utf8");

const MEL_NAME = "Métropole Européenne de Lille";

describe("Import d'attributions", () => {
  const browser = sharedBrowser();

  it("un bailleur importe un fichier et voit le résumé ; la MEL retrouve les attributions et sa consommation bouge", async () => {
    const mel = await newPage(browser());
    await logIn(mel, demoEmail("gestionnaire", "mel"));
    const melCountedOnVilogia = async () => {
      // The MEL's own rows, grouped under its name (bailleur, rights, counted…), empty pairs included.
      await visit(mel, "/consommation?year=2026&reservataire=mel&empty=1");
      await visible(mel.getByRole("heading", { name: MEL_NAME }));
      const row = mel.getByRole("row").filter({ hasText: "Vilogia" });
      return Number(await row.getByRole("cell").nth(2).textContent());
    };
    const countedBefore = await melCountedOnVilogia();

    const vilogia = await newPage(browser());
    await logIn(vilogia, demoEmail("gestionnaire", "vilogia"));
    await visit(vilogia, "/attributions");
    await vilogia.getByRole("link", { name: "Importer un fichier" }).click();
    await visible(vilogia.getByRole("heading", { name: "Importer des attributions" }));
    await visible(vilogia.getByRole("link", { name: "Télécharger le modèle XLSX" }));

    const file = vilogia.getByLabel("Fichier CSV ou XLSX");
    await file.setInputFiles({
      name: "attributions.csv",
      mimeType: "text/csv",
      buffer: csv(["mel", "sicf", "etat"]),
    });
    await vilogia.getByRole("button", { name: "Importer" }).click();
    await visible(vilogia.getByText("Fichier refusé, rien n'a été importé."));
    await visible(
      vilogia.getByText(
        /^ligne 3, colonne « Contingent » : La SICF ne réserve que chez ICF Habitat Nord-Est/,
      ),
    );

    await file.setInputFiles({
      name: "attributions.csv",
      mimeType: "text/csv",
      buffer: csv(["mel", "etat", "none"]),
    });
    await vilogia.getByRole("button", { name: "Importer" }).click();
    await visible(vilogia.getByText("Import réussi."));
    await visible(vilogia.getByText(/3 attributions dans le fichier : 3 nouvelles, 0 déjà enregistrée/));

    // The same file again changes nothing, and says so.
    await vilogia.getByRole("button", { name: "Importer" }).click();
    await visible(vilogia.getByText(/3 attributions dans le fichier : 0 nouvelle, 3 déjà enregistrées/));

    expect(await melCountedOnVilogia()).toBe(countedBefore + 1);
    await visit(mel, "/attributions?numeroUnique=059260307770E");
    await visible(mel.getByRole("cell", { name: "059260307770E" }));
    expect(await mel.getByRole("cell", { name: "Vilogia" }).count()).toBe(1);

    for (const page of [vilogia, mel]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });
});
