import { describe, expect, it } from "vitest";
import { expectAccessible, expectNoPageErrors, logInAs, sharedBrowser, visible, visit } from "./support";

describe("L'annuaire des partenaires", () => {
  const browser = sharedBrowser();

  it("se lit page par page et se cherche au clavier", async () => {
    const page = await logInAs(browser(), "gestionnaire", "vilogia");
    await visit(page, "/annuaire");
    const status = page.getByRole("status").filter({ hasText: /organisations?$/ });
    const pages = page.getByRole("navigation", { name: "Pages" });
    // The seed alone has 120 organisations: three pages of 50.
    expect(await (await visible(pages.getByText(/^Page 1 sur \d+$/))).count()).toBe(1);
    expect(await page.getByRole("row").count()).toBe(1 + 50);
    await expectAccessible(page);

    await pages.getByRole("link", { name: "Page suivante" }).click();
    await visible(pages.getByText(/^Page 2 sur \d+$/));
    expect(new URL(page.url()).searchParams.get("page")).toBe("2");
    await visible(pages.getByRole("link", { name: "Page précédente" }));

    await page.getByLabel("Rechercher (nom, type, code INSEE, SIREN)").fill("roubaix");
    await page.keyboard.press("Enter");
    await page.waitForURL((current) => current.searchParams.get("q") === "roubaix");
    await visible(page.getByRole("cell", { name: "Roubaix", exact: true }));
    expect(await status.textContent()).toBe("1 organisation");
    // One page: no page links.
    expect(await pages.count()).toBe(0);
    await expectAccessible(page);

    expectNoPageErrors(page);
    await page.context().close();
  });
});
