import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  DEMO_PASSWORD,
  demoEmail,
  expectAccessible,
  expectNoPageErrors,
  landOn,
  newPage,
  sharedBrowser,
  visible,
  visit,
} from "./support";

/**
 * RGAA (issue 16): a journey done with the keyboard alone, the focus visible at every stop, and form errors
 * announced to screen readers (role="alert", tied to their field by aria-describedby).
 */

/** What has the focus, and whether it shows it (an outline, or the ring Tailwind draws as a box-shadow; a date field shows it from its focused part, see ui/input.tsx). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && style.outlineWidth !== "0px";
    return {
      label:
        element.getAttribute("aria-label") ??
        element.getAttribute("name") ??
        element.textContent?.trim() ??
        "",
      tag: element.tagName,
      type: element.getAttribute("type"),
      visible: outline || style.boxShadow !== "none",
    };
  });

/** Tabs until `isTarget` holds, checking at each stop that the focus is visible. */
async function tabTo(
  page: Page,
  isTarget: (stop: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean,
) {
  for (let stops = 0; stops < 40; stops++) {
    await page.keyboard.press("Tab");
    const stop = await focused(page);
    if (!stop) continue;
    expect(stop.visible, `focus visible sur ${stop.tag} « ${stop.label} »`).toBe(true);
    if (isTarget(stop)) return;
  }
  throw new Error("Cible introuvable au clavier en 40 tabulations.");
}

describe("Au clavier seul", () => {
  const browser = sharedBrowser();

  it("un bailleur se connecte, ouvre le formulaire d'attribution et entend ses erreurs, sans souris", async () => {
    const page = await newPage(browser());
    await visit(page, "/connexion");
    await tabTo(page, (stop) => stop.tag === "INPUT" && stop.type === "email");
    await page.keyboard.type(demoEmail("gestionnaire", "vilogia"));
    await tabTo(page, (stop) => stop.tag === "INPUT" && stop.type === "password");
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press("Enter");
    await landOn(page, "/accueil");

    await visit(page, "/attributions/nouvelle");
    await tabTo(page, (stop) => stop.tag === "BUTTON" && stop.label === "Enregistrer l'attribution");
    await page.keyboard.press("Enter");
    const alert = await visible(page.getByRole("alert").filter({ hasText: /./ }));
    const described = await page
      .locator('input[aria-invalid="true"]')
      .first()
      .evaluate((input) => {
        const ids = (input.getAttribute("aria-describedby") ?? "").split(" ");
        return ids.some((id) => document.getElementById(id)?.getAttribute("role") === "alert");
      });
    expect(described, "l'erreur est liée à son champ").toBe(true);
    expect(await alert.first().textContent()).toMatch(/[a-zé]/);
    await expectAccessible(page);
    expectNoPageErrors(page);
  });
});
