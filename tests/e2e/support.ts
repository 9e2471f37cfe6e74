/** Helpers of the end-to-end tests: Debian's Chromium through playwright-core, and the portal's usual gestures. */
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";

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

/**
 * One Chromium for the tests of the `describe` it is called in: launched before them, closed after. Returns the
 * browser's getter (the browser exists only once the tests run).
 */
export function sharedBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("Chromium n'est pas lancé : sharedBrowser() s'appelle dans un describe.");
    return browser;
  };
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
  // The URL reaches /accueil before the home page is rendered (a test then read an empty menu): wait for its menu.
  await visible(page.getByRole("navigation", { name: "Navigation principale" }));
}

/** A link of the navigation's menu (« Cycle annuel », « Administration »…), the menu opened first. */
export async function menuLink(page: Page, menu: string, link: string): Promise<Locator> {
  const nav = page.getByRole("navigation", { name: "Navigation principale" });
  const details = nav.locator("details").filter({ has: page.locator("summary", { hasText: menu }) });
  if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) await details.locator("summary").click();
  return visible(details.getByRole("link", { name: link, exact: true }));
}

/** The "Mon organisation" link of the navigation: `/organisations/<id>/membres`. */
export async function ownMembersPath(page: Page): Promise<string> {
  const link = await menuLink(page, "Administration", "Mon organisation");
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

/**
 * The last link to `path` (« /invitation/ », « /reinitialiser/ ») in a mail to `email`, read by a MEL admin on
 * /plateforme/courriels (searched by recipient): the only way to a mail without SMTP.
 */
export async function mailedLink(page: Page, email: string, path: string): Promise<string> {
  const response = await visit(page, `/plateforme/courriels?q=${encodeURIComponent(email)}`);
  expect(response?.status()).toBe(200);
  await visible(page.getByText(email));
  const pattern = new RegExp(`https?://[^\\s"'<>]+${path}[A-Za-z0-9_\\-.~%]+`, "g");
  const links = (await page.locator("main").textContent())?.match(pattern) ?? [];
  if (links.length === 0) throw new Error(`Aucun lien ${path} dans les courriels à ${email}.`);
  // Newest first on the page.
  return links[0]!;
}

/** axe-core on the page as it stands (WCAG 2.1 A and AA rules): no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} : ${v.help} (${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")})`,
    );
  expect(serious, `violations axe sur ${page.url()}`).toEqual([]);
}

/** The page fits its viewport's width: wide tables scroll inside their own region, never the whole page. */
export async function expectFitsWidth(page: Page): Promise<void> {
  const [content, viewport] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(content, `largeur de ${page.url()}`).toBeLessThanOrEqual(viewport!);
}

/** A desktop's width, and a phone's (an iPhone 12's CSS pixels). */
export const VIEWPORTS = [
  { name: "1 280 px", width: 1280, height: 800 },
  { name: "téléphone", width: 390, height: 844 },
] as const;
