import { describe, expect, it } from "vitest";
import {
  confirm,
  expectAccessible,
  expectNoPageErrors,
  logInAs,
  sharedBrowser,
  visible,
  visit,
} from "./support";

/**
 * The comité de suivi (004 art. 10) in the browser: the MEL schedules a meeting at a time, attaches the reports of the
 * year it chooses and convenes; the invited bailleur finds it in its calendar and its iCal feed, at that time. The
 * MEL's own calendar carries the May and November deliveries requests it owes (004 l. 298).
 */
describe("Comité de suivi et calendrier", () => {
  const browser = sharedBrowser();

  it("la MEL convoque un comité avec les rapports d'une année choisie ; l'invité le voit dans son calendrier et son flux iCal", async () => {
    const mel = await logInAs(browser(), "gestionnaire", "mel");
    await visit(mel, "/comites");
    await mel.getByLabel("Date").fill("2027-01-20");
    await mel.getByLabel("Heure (Paris)").fill("14:30");
    await mel.getByLabel("Lieu").fill("Hôtel de la Métropole");
    await mel.getByLabel("Ordre du jour").fill("Consommation des contingents 2026");
    await mel.getByLabel("Vilogia").check();
    await mel.getByRole("button", { name: "Planifier" }).click();
    await visible(mel.getByRole("heading", { name: "Comité du 20 janvier 2027 à 14h30" }));

    await mel.getByLabel("Année des rapports").fill("2026");
    await mel.getByRole("button", { name: /^Joindre les rapports de cette année/ }).click();
    await visible(mel.getByText(/^Rapports 2026 joints/));
    await visible(mel.getByRole("link", { name: /^consommation-2026-fige-le-/ }));
    await visible(mel.getByRole("link", { name: /^bilan-metropolitain-communes-2026-fige-le-/ }));
    await mel.getByRole("button", { name: "Envoyer la convocation" }).click();
    await confirm(mel, "Confirmer");
    await visible(mel.getByText(/^Convocation envoyée le/));
    await expectAccessible(mel);

    await visit(mel, "/calendrier");
    const requests = mel
      .getByRole("row")
      .filter({ hasText: "Demande de mise à jour des livraisons aux bailleurs" });
    expect(await requests.count()).toBe(2);
    await expectAccessible(mel);
    expectNoPageErrors(mel);
    await mel.context().close();

    const vilogia = await logInAs(browser(), "gestionnaire", "vilogia");
    await visit(vilogia, "/calendrier?year=2027");
    await visible(vilogia.getByRole("heading", { name: "Calendrier des obligations 2027" }));
    const meeting = vilogia.getByRole("row").filter({ hasText: "Comité de suivi des contingents à 14h30" });
    await visible(meeting.getByText("20 janvier 2027 à 14h30"));
    await vilogia.getByRole("button", { name: "Créer l'adresse du flux" }).click();
    const feedUrl = await (await visible(vilogia.getByText(/\/calendrier\/flux\/.+\.ics$/)))
      .first()
      .textContent();
    const feed = await vilogia.request.get(new URL(feedUrl!).pathname);
    expect(feed.headers()["content-type"]).toContain("text/calendar");
    const event = (await feed.text())
      .split("BEGIN:VEVENT")
      .find((e) => e.includes("Comité de suivi des contingents à 14h30"));
    expect(event).toContain("DTSTART:20270120T133000Z\r\n");
    await expectAccessible(vilogia);
    expectNoPageErrors(vilogia);
    await vilogia.context().close();
  });
});
