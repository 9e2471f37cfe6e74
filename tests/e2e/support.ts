/** Helpers of the end-to-end tests: Debian's Chromium through playwright-core, and the portal's usual gestures. */
import fs from "node:fs";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { expect, inject } from "vitest";

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "flux-demo-2024";
export const demoEmail = (role: string, slug: string) => `${role}@${slug}.demo.test`;

/** The running server's origin, provided by global-setup.ts. */
export const baseUrl = (): string => inject("baseUrl");
export const url = (pathname: string) => new URL(pathname, baseUrl()).toString();

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/**
 * Headless Chromium. playwright-core gives every launch a fresh temporary profile (it refuses a
 * `--user-data-dir` argument with `launch()`), so no state leaks between runs.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium introuvable (${CHROMIUM}) : apt-get install -y chromium, ou CHROMIUM_PATH=…`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** E2E_JAVASCRIPT=0 runs the pages without JavaScript (forms posted by the browser): tells server bugs from client ones. */
const JAVASCRIPT = process.env.E2E_JAVASCRIPT !== "0";

const pageErrors = new WeakMap<Page, string[]>();

/** A new browser context (its own cookies) and its page, in French; uncaught page errors are recorded. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    baseURL: baseUrl(),
    javaScriptEnabled: JAVASCRIPT,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on("pageerror", (error) => errors.push(`${page.url()} : ${error.message}`));
  return page;
}

/** Fails on any uncaught error in the page so far (a failed hydration, for one), each error listed once. */
export function expectNoPageErrors(page: Page): void {
  const errors = [...new Set(pageErrors.get(page) ?? [])];
  expect(errors, "erreurs JavaScript dans la page").toEqual([]);
}

/** Waits until the locator is visible (playwright-core has no auto-waiting `expect`). */
export async function visible(locator: Locator, timeout = 15_000): Promise<Locator> {
  await locator.first().waitFor({ state: "visible", timeout });
  return locator;
}

/** Confirms the open AlertDialog (irreversible steps ask in one) with its `button`. */
export async function confirm(page: Page, button: string) {
  const dialog = await visible(page.getByRole("alertdialog"));
  await dialog.getByRole("button", { name: button, exact: true }).click();
}

/** Pathname of the page once it has settled on it. */
export async function landOn(page: Page, pathname: string): Promise<void> {
  await page.waitForURL((current) => current.pathname === pathname, { timeout: 15_000 });
}

/** Opens a page and waits until it is quiet (scripts loaded, page hydrated): what a user sees before acting. */
export function visit(page: Page, pathname: string) {
  return page.goto(pathname, { waitUntil: "networkidle" });
}

/** Logs in through the /connexion form and waits for /accueil. */
export async function logIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await visit(page, "/connexion");
  await page.getByLabel("Adresse e-mail", { exact: true }).fill(email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await landOn(page, "/accueil").catch(async (error: Error) => {
    const text = await page
      .locator("main")
      .first()
      .textContent()
      .catch(() => null);
    const shown = (text ?? "").replace(/\s+/g, " ");
    throw new Error(
      `Connexion de ${email} sans arrivée sur /accueil (page ${page.url()}, qui affiche : « ${shown.slice(0, 300)} »). ${error.message}`,
    );
  });
}

/** The "Mon organisation" link of the navigation: `/organisations/<id>/membres`. */
export async function ownMembersPath(page: Page): Promise<string> {
  const link = page
    .getByRole("navigation", { name: "Navigation principale" })
    .getByRole("link", { name: "Mon organisation" });
  await visible(link);
  const href = await link.getAttribute("href");
  if (!href || !/^\/organisations\/[^/]+\/membres$/.test(href)) {
    throw new Error(`Lien « Mon organisation » inattendu : ${href}`);
  }
  return href;
}

/** A demo user's own browser context, logged in. */
export async function logInAs(browser: Browser, role: string, slug: string): Promise<Page> {
  const page = await newPage(browser);
  await logIn(page, demoEmail(role, slug));
  return page;
}
