import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  demoEmail,
  expectNoPageErrors,
  launchBrowser,
  logIn,
  newPage,
  ownMembersPath,
  visible,
  visit,
} from "./support";

describe("Accès refusés", () => {
  let browser: Browser;
  let melMembersPath: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    // The MEL's id, as its own admin sees it in the navigation.
    const admin = await newPage(browser);
    await logIn(admin, demoEmail("admin", "mel"));
    melMembersPath = await ownMembersPath(admin);
    await admin.context().close();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("un agent de commune n'ouvre ni les courriels de la plateforme (403) ni les membres d'une autre organisation (404)", async () => {
    const page = await newPage(browser);
    await logIn(page, demoEmail("gestionnaire", "commune-59350"));

    const nav = page.getByRole("navigation", { name: "Navigation principale" });
    await visible(nav.getByRole("link", { name: "Accueil" }));
    expect(await nav.getByRole("link", { name: "Courriels", includeHidden: true }).count()).toBe(0);

    const outbox = await visit(page, "/plateforme/courriels");
    expect(outbox?.status()).toBe(403);
    await visible(page.getByRole("heading", { name: "Erreur 403" }));

    const members = await visit(page, melMembersPath);
    expect(members?.status()).toBe(404);
    await visible(page.getByRole("heading", { name: "Page introuvable" }));

    expectNoPageErrors(page);
    await page.context().close();
  });
});
