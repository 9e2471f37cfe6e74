import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  confirm,
  DEMO_PASSWORD,
  demoEmail,
  expectAccessible,
  expectNoPageErrors,
  landOn,
  logIn,
  logInAs,
  mailedLink,
  menuLink,
  newPage,
  sharedBrowser,
  visible,
  visit,
} from "./support";

/** A day of CRIB no other run used: the session's date is unique. */
const uniqueDay = () =>
  new Date(Date.UTC(2000, 0, 1) + (Math.floor(Date.now() / 1000) % 9000) * 86_400_000)
    .toISOString()
    .slice(0, 10);

async function close(...pages: Page[]) {
  for (const page of pages) {
    expectNoPageErrors(page);
    await page.context().close();
  }
}

describe("Le travail de tous les jours", () => {
  const browser = sharedBrowser();

  it("l'accueil dit ce qui attend l'utilisateur ; les menus par tâche s'ouvrent au clavier", async () => {
    const page = await logInAs(browser(), "gestionnaire", "vilogia");
    await visible(page.getByRole("heading", { name: "À faire" }));
    expect(await page.getByText("Bientôt disponible").count()).toBe(0);
    await expectAccessible(page);

    // Keyboard only: the menu's button takes the focus, Enter opens it, Tab reaches its first link, Enter follows it.
    const nav = page.getByRole("navigation", { name: "Navigation principale" });
    await nav.locator("summary", { hasText: "Signalements et CRIB" }).focus();
    await page.keyboard.press("Enter");
    await visible(nav.getByRole("link", { name: "Signalements", exact: true }));
    await expectAccessible(page);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await landOn(page, "/signalements");
    await expectAccessible(page);
    // The menus follow the policy: a bailleur's gestionnaire has the directory but neither the platform nor the
    // journal (MEL, admins). Closed menus keep their links in the page, hidden: counted with includeHidden.
    expect(await (await menuLink(page, "Administration", "Annuaire")).count()).toBe(1);
    const links = (name: string) => nav.getByRole("link", { name, exact: true, includeHidden: true }).count();
    expect(await links("Plateforme")).toBe(0);
    expect(await links("Journal")).toBe(0);
    expect(await links("Bilans annuels")).toBe(1);
    await close(page);
  });

  it("un refus dit quel rôle il faut et qui l'a dans l'organisation", async () => {
    const page = await logInAs(browser(), "lecteur", "vilogia");
    const response = await visit(page, "/attributions/nouvelle");
    expect(response?.status()).toBe(403);
    await visible(page.getByRole("heading", { name: "Erreur 403" }));
    await visible(
      page.getByText(
        /Cette action demande l'un des rôles .*Dans votre organisation.*Gestionnaire \(démo\) — Vilogia/,
      ),
    );
    await expectAccessible(page);
    await close(page);
  });

  it("CRIB : la MEL publie une liste, un bailleur répond avec une note, la MEL voit qui n'a pas répondu et relance", async () => {
    const mel = await logInAs(browser(), "gestionnaire", "mel");
    await visit(mel, "/crib");
    await expectAccessible(mel);
    await mel.getByLabel("Date de la CRIB").fill(uniqueDay());
    await mel.getByRole("button", { name: "Créer la liste" }).click();
    await visible(mel.getByRole("heading", { name: /^CRIB du / }));
    const sessionPath = new URL(mel.url()).pathname;
    await mel.getByLabel("Numéro unique").fill("059 2301 00950 M");
    await mel.getByLabel("Bailleur d'origine").selectOption({ label: "Vilogia" });
    await mel.getByLabel("Typologie souhaitée").selectOption("T3");
    await mel.getByLabel("Communes souhaitées").click();
    await mel.getByPlaceholder("Nom ou code INSEE…").fill("Roubaix");
    await mel
      .getByRole("option", { name: /^Roubaix / })
      .first()
      .click();
    await mel.keyboard.press("Escape");
    await mel.getByRole("button", { name: "Ajouter" }).click();
    await visible(mel.getByText("Cas ajouté à la liste."));
    await visible(mel.getByRole("cell", { name: /^059 ?2301 ?00950 ?M$/ }));
    await expectAccessible(mel);
    await mel.getByRole("button", { name: "Publier la liste" }).click();
    await confirm(mel, "Confirmer");
    await visible(mel.getByText(/Liste publiée : l'URH et les bailleurs sont prévenus/));

    const lmh = await logInAs(browser(), "gestionnaire", "lille-metropole-habitat");
    await visit(lmh, sessionPath);
    const answer = lmh.getByLabel("Votre réponse");
    // No answer chosen for the bailleur.
    expect(await answer.inputValue()).toBe("");
    await answer.selectOption("false");
    await lmh.getByLabel("Note (facultative)").fill("Aucun T3 libre à Roubaix avant l'été.");
    await lmh.getByRole("button", { name: "Répondre" }).click();
    await visible(lmh.getByText("Réponse enregistrée."));
    await visible(lmh.getByText("Note : Aucun T3 libre à Roubaix avant l'été."));
    await expectAccessible(lmh);

    await visit(mel, sessionPath);
    await visible(mel.getByRole("heading", { name: "Bailleurs sans réponse" }));
    await visible(mel.getByText("Lille Métropole Habitat : pas de solution"));
    expect(await mel.getByText(/^Lille Métropole Habitat : 1 cas sans réponse/).count()).toBe(0);
    await visible(mel.getByText(/^Vilogia : 1 cas sans réponse/));
    await mel.getByRole("button", { name: "Relancer les bailleurs sans réponse" }).click();
    await visible(mel.getByText(/^Relance envoyée par courriel à : .*Vilogia/));
    await visible(mel.getByText(/Vilogia : 1 cas sans réponse \(relancé aujourd'hui\)/));
    expect(await mel.getByRole("button", { name: "Relancer les bailleurs sans réponse" }).count()).toBe(0);
    await expectAccessible(mel);
    await close(mel, lmh);
  });

  it("mot de passe oublié : le lien arrive dans la boîte d'envoi, le nouveau mot de passe ouvre la session", async () => {
    const email = demoEmail("lecteur", "sicf");
    const user = await newPage(browser());
    await visit(user, "/connexion");
    await user.getByRole("link", { name: /^Mot de passe oublié/ }).click();
    await landOn(user, "/mot-de-passe-oublie");
    await expectAccessible(user);
    await user.getByLabel("Adresse e-mail").fill(email);
    await user.getByRole("button", { name: "Recevoir un lien" }).click();
    await visible(user.getByText(/un lien de réinitialisation valable une heure/));

    const admin = await logInAs(browser(), "admin", "mel");
    const link = await mailedLink(admin, email, "/reinitialiser/");
    await expectAccessible(admin);

    const password = "Nouveau-mot-de-passe-e2e-2026";
    await visit(user, link);
    await expectAccessible(user);
    await user.getByLabel("Nouveau mot de passe", { exact: true }).fill(password);
    await user.getByLabel("Confirmation du mot de passe", { exact: true }).fill(password);
    await user.getByRole("button", { name: "Enregistrer" }).click();
    await landOn(user, "/connexion");
    await logIn(user, email, password);
    await visible(user.getByRole("heading", { name: /^Bonjour / }));
    await close(user, admin);
  });

  it("un jeton d'API créé dans « Mon compte » ouvre /api/v1/me", async () => {
    const page = await logInAs(browser(), "gestionnaire", "action-logement");
    await visit(page, "/compte");
    await expectAccessible(page);
    await page.getByLabel("Nom du jeton").fill("Logiciel e2e");
    await page.getByRole("button", { name: "Créer un jeton" }).click();
    const token = (await (await visible(page.getByLabel("Nouveau jeton"))).textContent())?.trim() ?? "";
    expect(token.length).toBeGreaterThan(20);
    await expectAccessible(page);

    const anonymous = await newPage(browser());
    const me = await anonymous.request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(me.status()).toBe(200);
    expect(await me.text()).toContain(demoEmail("gestionnaire", "action-logement"));
    const refused = await anonymous.request.get("/api/v1/me", { headers: { authorization: "Bearer faux" } });
    expect(refused.status()).toBe(401);
    await close(page, anonymous);
  });

  it("un utilisateur qui a déjà un compte, invité dans une 2e organisation, se connecte pour la rejoindre", async () => {
    const email = demoEmail("lecteur", "departement-nord");
    const admin = await logInAs(browser(), "admin", "partenord-habitat");
    await (await menuLink(admin, "Administration", "Mon organisation")).click();
    const send = admin.getByRole("button", { name: "Envoyer l'invitation" });
    await visible(send);
    const form = admin.locator("form").filter({ has: send });
    await form.getByLabel("Adresse e-mail", { exact: true }).fill(email);
    await send.click();
    await visible(admin.getByText(/Invitation envoyée/i));
    await expectAccessible(admin);

    const mel = await logInAs(browser(), "admin", "mel");
    const link = await mailedLink(mel, email, "/invitation/");

    const invited = await newPage(browser());
    await visit(invited, link);
    await visible(
      invited.getByText("Vous avez déjà un compte : connectez-vous pour rejoindre Partenord Habitat."),
    );
    expect(await invited.getByRole("button", { name: "Créer mon compte" }).count()).toBe(0);
    await expectAccessible(invited);
    await invited.getByRole("link", { name: "Se connecter" }).click();
    await invited.getByLabel("Adresse e-mail", { exact: true }).fill(email);
    await invited.getByLabel("Mot de passe", { exact: true }).fill(DEMO_PASSWORD);
    await invited.getByRole("button", { name: "Se connecter" }).click();
    await visible(invited.getByRole("button", { name: "Rejoindre Partenord Habitat" }));
    await invited.getByRole("button", { name: "Rejoindre Partenord Habitat" }).click();
    await landOn(invited, "/accueil");
    // Now a member of both: the header offers to act for either.
    const actingFor = invited.getByLabel("Agir pour");
    await visible(actingFor);
    const options = await actingFor.locator("option").allTextContents();
    expect(options).toEqual(expect.arrayContaining(["Département du Nord", "Partenord Habitat"]));
    await close(admin, mel, invited);
  });
});
