import { describe, expect, it } from "vitest";
import {
  demoEmail,
  expectNoPageErrors,
  landOn,
  logIn,
  newPage,
  sharedBrowser,
  visible,
  visit,
} from "./support";

const SCREENSHOT = "/tmp/e2e-home.png";

describe("Connexion", () => {
  const browser = sharedBrowser();

  it("sans session, l'accueil renvoie vers la page de connexion", async () => {
    const page = await newPage(browser());
    const response = await visit(page, "/accueil");
    await landOn(page, "/connexion");
    // The production server's own headers on every page: no sniffing, no framing, and the time it spent.
    const headers = response?.headers() ?? {};
    expect(headers).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY" });
    expect(headers["server-timing"]).toMatch(/^app;dur=\d+\.\d$/);
    await visible(page.getByRole("button", { name: "Se connecter" }));
    expectNoPageErrors(page);
    await page.context().close();
  });

  it("un compte de démonstration se connecte et voit la page d'accueil", async () => {
    const page = await newPage(browser());
    await logIn(page, demoEmail("gestionnaire", "vilogia"));

    // Waits for the home page's own heading: the URL may change before the new page is rendered.
    await visible(page.getByRole("heading", { level: 1, name: /^Bonjour Gestionnaire \(démo\)/ }));
    await visible(page.getByText("Vous agissez pour"));
    await visible(
      page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Accueil" }),
    );

    const cookies = await page.context().cookies();
    expect(cookies.map((c) => c.name)).toContain("flux_session");

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`[e2e] capture de la page d'accueil : ${SCREENSHOT}`);
    expectNoPageErrors(page);
    await page.context().close();
  });

  it("une page connectée s'exécute sous une CSP à nonce, sans violation, et n'est gardée par aucun cache", async () => {
    const page = await newPage(browser());
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await logIn(page, demoEmail("gestionnaire", "vilogia"));
    const response = await visit(page, "/accueil");
    const headers = response?.headers() ?? {};
    expect(headers["cache-control"]).toBe("no-store");
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(headers["content-security-policy"] ?? "")?.[1];
    expect(nonce).toBeTruthy();
    // Every script Remix wrote carries this response's nonce (the browser hides it from attributes, not from .nonce).
    const nonces = await page.$$eval("script", (scripts) => scripts.map((script) => script.nonce));
    expect(nonces.length).toBeGreaterThan(0);
    expect(new Set(nonces)).toEqual(new Set([nonce]));
    // Hydrated: the inline module script that starts Remix's router in the browser ran.
    await page.waitForFunction(() => "__remixRouter" in window);
    // The static assets keep their year-long cache.
    const stylesheet = await page.locator("link[rel=stylesheet]").first().getAttribute("href");
    const asset = await page.request.get(stylesheet!);
    expect(asset.headers()["cache-control"]).toContain("immutable");
    expect(violations).toEqual([]);
    expectNoPageErrors(page);
    await page.context().close();
  });

  it("le premier clic sur « Mot de passe oublié ? » aboutit, même quand le message de l'e-mail apparaît", async () => {
    const page = await newPage(browser());
    await visit(page, "/connexion");
    await page.getByLabel("Adresse e-mail", { exact: true }).fill("pas-une-adresse");
    const link = page.getByRole("link", { name: "Mot de passe oublié ?" });
    const before = await link.boundingBox();
    // Leaving the field shows its message; the link must stay where the pointer is.
    await link.click();
    await landOn(page, "/mot-de-passe-oublie");
    await page.goBack();
    await page.getByLabel("Adresse e-mail", { exact: true }).fill("pas-une-adresse");
    await page.getByLabel("Mot de passe", { exact: true }).focus();
    await visible(page.getByText(/Adresse e-mail invalide/));
    expect(await link.boundingBox()).toEqual(before);
    expectNoPageErrors(page);
    await page.context().close();
  });

  it("un envoi de formulaire depuis un autre site reçoit un 403 en français, pas une erreur 500", async () => {
    const page = await newPage(browser());
    const response = await page.request.post("/connexion", {
      headers: { origin: "https://evil.example" },
      form: { email: "x@y.fr", password: "z" },
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain("Cette demande vient d'un autre site que le portail");
    await page.context().close();
  });
});
