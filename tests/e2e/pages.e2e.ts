import { describe, expect, it } from "vitest";
import { expectAccessible, expectNoPageErrors, logInAs, sharedBrowser, visit } from "./support";

/**
 * Every page a user can reach from the navigation passes axe-core (RGAA, issue 16), for one account of each kind of
 * organisation: the links are read from the navigation itself (menus included, open or not), so a page added to a
 * menu is checked without being listed here.
 */
const ACCOUNTS: Array<[role: string, slug: string]> = [
  ["admin", "mel"],
  ["signataire", "etat"],
  ["gestionnaire", "vilogia"],
  ["gestionnaire", "commune-59350"],
  ["signataire", "action-logement"],
  ["gestionnaire", "urh"],
];

describe("Toutes les pages du menu, pour chaque sorte d'organisation", () => {
  const browser = sharedBrowser();

  it.each(ACCOUNTS)("%s@%s : chaque page du menu répond et passe axe-core", async (role, slug) => {
    const page = await logInAs(browser(), role, slug);
    const nav = page.getByRole("navigation", { name: "Navigation principale" });
    const hrefs = await nav
      .getByRole("link", { includeHidden: true })
      .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
    const paths = [...new Set(hrefs.filter((href) => href.startsWith("/")))];
    expect(paths.length, "liens du menu").toBeGreaterThan(1);
    for (const path of paths) {
      const response = await visit(page, path);
      expect(response?.status(), `statut de ${path}`).toBe(200);
      await expectAccessible(page);
    }
    expectNoPageErrors(page);
  });
});
