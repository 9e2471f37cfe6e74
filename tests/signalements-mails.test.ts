import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { emailOutbox, mailDigestItems, signalements } from "#db/schema";
import { signalementDigestJob } from "~/jobs/signalement-digest.server";
import { action as boardAction } from "~/routes/_app.signalements._index";
import { action as detailAction } from "~/routes/_app.signalements.$id";
import { action as newAction } from "~/routes/_app.signalements.nouveau";
import { type Browser, browser, outcome, post } from "./helpers/clients";

let commune: Browser;
let communeAdmin: Browser;
let communeHandler: Browser;
let bailleur: Browser;
let bailleurAdmin: Browser;
let otherBailleur: Browser;

const mailsTo = (who: Browser) => db.select().from(emailOutbox).where(eq(emailOutbox.to, who.email));

async function signal(numeroUnique: string) {
  const created = await outcome(
    newAction({
      request: post(commune, "/signalements/nouveau", [
        ["numeroUnique", numeroUnique],
        ["adults", "1"],
        ["children", "0"],
        ["typology", "T2"],
        ["communesWanted", "59350"],
        ["publicCategory", "autre"],
        ["urgency", "normal"],
        ["reason", "Logement trop petit."],
        ["bailleurSlugs", "vilogia"],
      ]),
      params: {},
      context: {},
    }),
  );
  return created.location!.split("/").at(-1)!;
}

const act = (who: Browser, id: string, fields: Array<[string, string]>) =>
  outcome(detailAction({ request: post(who, `/signalements/${id}`, fields), params: { id }, context: {} }));

beforeAll(async () => {
  commune = await browser("commune-59350", ["gestionnaire"]);
  communeAdmin = await browser("commune-59350", ["admin"]);
  communeHandler = await browser("commune-59350", ["gestionnaire"]);
  bailleur = await browser("vilogia", ["gestionnaire"]);
  bailleurAdmin = await browser("vilogia", ["admin"]);
  otherBailleur = await browser("partenord-habitat", ["admin"]);
});

describe("who is told about a signalement", () => {
  it("tells the member each side named to handle it, else the organisation's admins", async () => {
    const id = await signal("059 2411 00700 A");
    expect((await mailsTo(bailleurAdmin)).map((m) => m.subject)).toContain(
      "Nouveau signalement 059241100700A (Lille)",
    );
    expect(await mailsTo(bailleur)).toEqual([]);

    // The bailleur names its gestionnaire; the commune names one of its own.
    expect(
      (
        await act(bailleur, id, [
          ["intent", "handler"],
          ["handlerUserId", bailleur.id],
        ])
      ).status,
    ).toBe(200);
    expect(
      (
        await act(commune, id, [
          ["intent", "handler"],
          ["handlerUserId", communeHandler.id],
        ])
      ).status,
    ).toBe(200);
    // Someone of another organisation cannot be named.
    const foreign = await act(commune, id, [
      ["intent", "handler"],
      ["handlerUserId", otherBailleur.id],
    ]);
    expect(foreign.status).toBe(400);
    expect(foreign.result?.message).toBe("Choisissez un membre actif de votre organisation.");

    await act(bailleur, id, [
      ["intent", "event"],
      ["type", "acknowledged"],
    ]);
    const step = (await mailsTo(communeHandler)).find((m) => m.subject.endsWith(": Accusé de réception"));
    expect(step?.subject).toBe("Signalement 059241100700A (Lille) : Accusé de réception");
    expect(step?.text).toContain(`/signalements/${id}`);
    expect((await mailsTo(communeAdmin)).some((m) => m.subject.includes("059241100700A"))).toBe(false);

    await act(commune, id, [
      ["intent", "comment"],
      ["text", "Le ménage est joignable le matin."],
    ]);
    expect((await mailsTo(bailleur)).map((m) => m.subject)).toEqual([
      "Signalement 059241100700A (Lille) : nouveau commentaire",
    ]);
    expect((await mailsTo(bailleurAdmin)).filter((m) => m.subject.includes("commentaire"))).toEqual([]);
  });
});

describe("the commune completes its signalement", () => {
  const correction: Array<[string, string]> = [
    ["intent", "correct"],
    ["adults", "2"],
    ["children", "1"],
    ["typology", "T3"],
    ["communesWanted", "59350"],
    ["communesWanted", "59512"],
    ["publicCategory", "autre"],
    ["urgency", "urgent"],
    ["reason", "Logement trop petit, un enfant de plus."],
  ];

  it("corrects it until a bailleur acknowledges, then adds a bailleur, who is told", async () => {
    const id = await signal("059 2411 00702 A");
    const wrong = await act(commune, id, [
      ...correction.filter(([k]) => k !== "communesWanted"),
      ["communesWanted", "12345"],
    ]);
    expect(wrong.status).toBe(400);
    expect(wrong.result?.message).toMatch(/^Communes souhaitées : « 12345 »/);
    expect((await act(commune, id, correction)).status).toBe(200);
    const [row] = await db.select().from(signalements).where(eq(signalements.id, id));
    expect(row).toMatchObject({
      adults: 2,
      typology: "T3",
      communesWanted: ["59350", "59512"],
      urgency: "urgent",
    });

    await act(bailleurAdmin, id, [
      ["intent", "event"],
      ["type", "acknowledged"],
    ]);
    const late = await act(commune, id, correction);
    expect(late.status).toBe(409);
    expect(late.result?.message).toMatch(/Ajoutez un commentaire ou un bailleur/);

    expect(
      (
        await act(commune, id, [
          ["intent", "add-bailleur"],
          ["bailleurSlug", "partenord-habitat"],
        ])
      ).status,
    ).toBe(200);
    expect((await mailsTo(otherBailleur)).map((m) => m.subject)).toContain(
      "Nouveau signalement 059241100702A (Lille)",
    );
    expect(
      (
        await act(commune, id, [
          ["intent", "add-bailleur"],
          ["bailleurSlug", "partenord-habitat"],
        ])
      ).status,
    ).toBe(409);
    expect(
      (
        await act(bailleur, id, [
          ["intent", "add-bailleur"],
          ["bailleurSlug", "sigh"],
        ])
      ).status,
    ).toBe(403);
  });
});

describe("daily digest", () => {
  it("keeps the news of a user who chose the digest, and sends them once, the next day, in one mail", async () => {
    const chosen = await outcome(
      boardAction({
        request: post(communeAdmin, "/signalements", [["signalementMails", "digest"]]),
        params: {},
        context: {},
      }),
    );
    expect(chosen.status).toBe(200);
    const before = (await mailsTo(communeAdmin)).length;
    const id = await signal("059 2411 00701 A");
    await act(bailleurAdmin, id, [
      ["intent", "event"],
      ["type", "acknowledged"],
    ]);
    await act(bailleurAdmin, id, [
      ["intent", "comment"],
      ["text", "Dossier complet."],
    ]);
    expect((await mailsTo(communeAdmin)).length).toBe(before);
    const pending = await db
      .select()
      .from(mailDigestItems)
      .where(and(eq(mailDigestItems.userId, communeAdmin.id), isNull(mailDigestItems.digestedAt)));
    expect(pending).toHaveLength(2);

    // Today's lines wait for tomorrow; tomorrow, two runs at once send one digest.
    expect(await signalementDigestJob(new Date())).toEqual({ digests: 0 });
    const tomorrow = new Date(Date.now() + 36 * 3600_000);
    const runs = await Promise.all([signalementDigestJob(tomorrow), signalementDigestJob(tomorrow)]);
    expect(runs.map((r) => r.digests).sort()).toEqual([0, 1]);
    const digests = (await mailsTo(communeAdmin)).filter((m) => m.subject.startsWith("Signalements :"));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toBe("Signalements : 2 nouveautés");
    expect(digests[0]!.text).toContain("– Signalement 059241100701A (Lille) : Accusé de réception : ");
    expect(digests[0]!.text).toContain(`/signalements/${id}`);
    expect(await signalementDigestJob(tomorrow)).toEqual({ digests: 0 });
  });
});
