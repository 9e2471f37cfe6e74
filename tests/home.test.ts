import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { bilans } from "#db/schema";
import { signalementSchema } from "~/lib/signalement-schemas";
import { addCribCase, answerCribCase, createCribSession, publishCribSession } from "~/models/crib.server";
import { todosOf } from "~/models/home.server";
import { createSignalement } from "~/models/signalements.server";
import { actorOf, BASE_URL, createUser } from "./helpers/fixtures";

type Actor = Awaited<ReturnType<typeof actorOf>>;
let vilogia: Actor;
let vilogiaLecteur: Actor;
let urh: Actor;
let commune: Actor;
let mel: Actor;

const countOf = async (actor: Actor, key: string) =>
  (await todosOf(actor)).find((t) => t.key === key)?.count ?? 0;

beforeAll(async () => {
  vilogia = await actorOf(await createUser("vilogia", ["gestionnaire"]));
  vilogiaLecteur = await actorOf(await createUser("vilogia", ["lecteur"]));
  urh = await actorOf(await createUser("urh", ["gestionnaire"]));
  commune = await actorOf(await createUser("commune-59350", ["gestionnaire"]));
  mel = await actorOf(await createUser("mel", ["gestionnaire"]));
});

describe("home: what waits for the user", () => {
  it("counts the signalements a bailleur has to acknowledge, with the deadline of the oldest, for who may do it", async () => {
    const before = await countOf(vilogia, "signalements");
    await createSignalement(
      commune,
      signalementSchema.parse({
        numeroUnique: "059 2401 00901 A",
        adults: 1,
        children: 0,
        typology: "T2",
        communesWanted: ["59350"],
        publicCategory: "dalo_labellise",
        incomeQuartile: 1,
        urgency: "urgent",
        reason: "Logement indigne.",
        bailleurSlugs: ["vilogia"],
      }),
      { baseUrl: BASE_URL },
    );
    const todo = (await todosOf(vilogia)).find((t) => t.key === "signalements");
    expect(todo).toMatchObject({ count: before + 1, url: "/signalements?status=sent" });
    expect(todo!.dueAt).toBeInstanceOf(Date);
    expect(await countOf(vilogiaLecteur, "signalements")).toBe(0);
    expect(await countOf(commune, "signalements")).toBe(0);
  });

  it("counts the CRIB cases a bailleur has not answered, and those the URH has to give a pilot", async () => {
    const [answerBefore, pilotBefore] = [
      await countOf(vilogia, "crib-answers"),
      await countOf(urh, "crib-pilots"),
    ];
    const { id: sessionId } = await createCribSession(mel, "2026-06-11");
    const { id: caseId } = await addCribCase(mel, sessionId, {
      numeroUnique: "059 2301 00901 M",
      originBailleurSlug: "lille-metropole-habitat",
      typology: "T3",
      communesWanted: ["59350"],
    });
    expect(await countOf(vilogia, "crib-answers")).toBe(answerBefore);
    await publishCribSession(mel, sessionId, BASE_URL);
    expect(await countOf(vilogia, "crib-answers")).toBe(answerBefore + 1);
    expect(await countOf(urh, "crib-pilots")).toBe(pilotBefore + 1);
    expect(await countOf(vilogiaLecteur, "crib-answers")).toBe(0);
    expect((await todosOf(commune)).filter((t) => t.key.startsWith("crib"))).toEqual([]);
    await answerCribCase(vilogia, caseId, { hasSolution: false });
    expect(await countOf(vilogia, "crib-answers")).toBe(answerBefore);
  });

  it("lists the calendar's open obligations the user's role lets them do, and none to a lecteur", async () => {
    // A year nothing is done yet: the forecast is owed by the bailleur.
    const later = new Date("2031-01-10T12:00:00Z");
    const forecast = `forecast:${vilogia.organisation.id}:2031`;
    expect((await todosOf(vilogia, later)).find((t) => t.key === forecast)).toMatchObject({
      title: "Transmettre la prévision d'attributions 2031 à l'État",
      count: 1,
      late: false,
      url: "/assiette/2031",
    });
    expect((await todosOf(vilogiaLecteur, later)).map((t) => t.key)).not.toContain(forecast);
  });

  it("counts the bilans a réservataire has received and not acknowledged, for its gestionnaires only", async () => {
    const etat = await actorOf(await createUser("etat", ["gestionnaire"]));
    const etatLecteur = await actorOf(await createUser("etat", ["lecteur"]));
    const before = await countOf(etat, "bilans-received");
    const [bilan] = await db
      .insert(bilans)
      .values({
        bailleurId: vilogia.organisation.id,
        reservataireId: etat.organisation.id,
        year: 2019,
        figures: {},
        sentAt: new Date(),
      })
      .returning();
    expect(await countOf(etat, "bilans-received")).toBe(before + 1);
    expect(await countOf(etatLecteur, "bilans-received")).toBe(0);
    await db.update(bilans).set({ acknowledgedAt: new Date() }).where(eq(bilans.id, bilan!.id));
    expect(await countOf(etat, "bilans-received")).toBe(before);
  });
});
