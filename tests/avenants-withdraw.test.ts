import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, avenants, emailOutbox } from "#db/schema";
import { acceptAvenant, contestAvenant, sendAvenant } from "~/models/avenants.server";
import { action as boardAction, loader as boardLoader } from "~/routes/_app.avenants";
import { action as withdrawAction } from "~/routes/api.v1.avenants.$id.withdraw";
import { action as generateAction } from "~/routes/api.v1.avenants.generate";
import { apiOf, browserOf, publishYear } from "./helpers/cycle";
import { actorOf, BASE_URL, createUser, organisation, type TestUser } from "./helpers/fixtures";

/** The réservataire's signataire withdraws a letter not yet answered (draft, sent within its period, contested). */
const YEAR = 2029;
const BAILLEURS = ["vilogia", "lille-metropole-habitat", "habitat-du-nord", "maisons-et-cites"] as const;
type Api = Awaited<ReturnType<typeof apiOf>>;
let melSignataire: Api;
let melGestionnaire: Api;
let vilogiaSignataire: Api;
let lmhSignataire: TestUser;
const letter: Record<string, string> = {};

const withdraw = (who: Api, id: string) =>
  who.call(withdrawAction as never, `/api/v1/avenants/${id}/withdraw`, { method: "POST", params: { id } });

beforeAll(async () => {
  melSignataire = await apiOf(await createUser("mel", ["signataire"]));
  melGestionnaire = await apiOf(await createUser("mel", ["gestionnaire"]));
  vilogiaSignataire = await apiOf(await createUser("vilogia", ["signataire"]));
  lmhSignataire = await createUser("lille-metropole-habitat", ["signataire"]);
  await publishYear(
    YEAR,
    Object.fromEntries(BAILLEURS.map((slug) => [slug, { a: 1000, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 }])),
  );
  await melGestionnaire.call(generateAction as never, "/api/v1/avenants/generate", {
    method: "POST",
    body: { year: YEAR },
  });
  for (const slug of BAILLEURS) {
    const [row] = await db
      .select()
      .from(avenants)
      .where(eq(avenants.bailleurId, (await organisation(slug)).id));
    letter[slug] = row!.id;
  }
  const who = await actorOf(melSignataire.user);
  const sentAt = new Date("2029-03-10T10:00:00Z");
  for (const slug of ["vilogia", "lille-metropole-habitat", "maisons-et-cites"])
    await sendAvenant(who, { id: letter[slug]!, baseUrl: BASE_URL, now: sentAt });
  await contestAvenant(await actorOf(lmhSignataire), {
    id: letter["lille-metropole-habitat"]!,
    part: "rate",
    reason: "Le flux prévisionnel a été revu à la baisse.",
    baseUrl: BASE_URL,
  });
  await acceptAvenant(await actorOf(await createUser("maisons-et-cites", ["signataire"])), {
    id: letter["maisons-et-cites"]!,
    baseUrl: BASE_URL,
  });
});

describe("withdrawing a letter", () => {
  it("is refused to the gestionnaire and to the bailleur (403), to a stranger (404)", async () => {
    expect((await withdraw(melGestionnaire, letter.vilogia!)).status).toBe(403);
    expect((await withdraw(vilogiaSignataire, letter.vilogia!)).status).toBe(403);
    expect((await withdraw(vilogiaSignataire, letter["habitat-du-nord"]!)).status).toBe(404);
  });

  it("withdraws a sent letter within its period; the bailleur's signataires are told; twice answers 409", async () => {
    const res = await withdraw(melSignataire, letter.vilogia!);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("withdrawn");
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(like(emailOutbox.subject, "%retiré par le réservataire"));
    expect(mails.map((m) => m.to)).toEqual([vilogiaSignataire.user.email]);
    const again = await withdraw(melSignataire, letter.vilogia!);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe("Ce courrier est déjà retiré.");
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "avenant.withdraw"));
    expect(audits.map((a) => a.subjectId)).toEqual([letter.vilogia]);
  });

  it("withdraws a contested letter and a draft (no mail for a draft the bailleur never received)", async () => {
    expect((await withdraw(melSignataire, letter["lille-metropole-habitat"]!)).body.status).toBe("withdrawn");
    expect((await withdraw(melSignataire, letter["habitat-du-nord"]!)).body.status).toBe("withdrawn");
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(like(emailOutbox.subject, "%retiré par le réservataire"));
    expect(mails.map((m) => m.to).sort()).toEqual([lmhSignataire.email, vilogiaSignataire.user.email].sort());
  });

  it("never withdraws an accepted letter", async () => {
    const res = await withdraw(melSignataire, letter["maisons-et-cites"]!);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/accepté/);
  });
});

describe("withdrawing on the board", () => {
  it("offers the button to the réservataire's signataire only, before an answer, and withdraws with it", async () => {
    const signataire = await browserOf(await createUser("mel", ["signataire"]));
    const gestionnaire = await browserOf(await createUser("mel", ["gestionnaire"]));
    const [extra] = await db
      .insert(avenants)
      .values({
        reservataireId: (await organisation("mel")).id,
        bailleurId: (await organisation("vilogia")).id,
        year: YEAR + 1,
        rateBp: 2000,
        fluxH: 1000,
        rights: 200,
      })
      .returning();
    const path = `/avenants?year=${YEAR + 1}`;
    type Row = { id: string; canWithdraw: boolean };
    const rows = async (b: typeof signataire) => (await b.get(boardLoader, path)).body.letters as Row[];
    expect((await rows(signataire))[0]!.canWithdraw).toBe(true);
    expect((await rows(gestionnaire))[0]!.canWithdraw).toBe(false);
    expect((await gestionnaire.post(boardAction, path, { intent: "withdraw", id: extra!.id })).status).toBe(
      403,
    );
    const done = await signataire.post(boardAction, path, { intent: "withdraw", id: extra!.id });
    expect(done.body).toMatchObject({ ok: true, message: "Courrier retiré." });
    expect((await rows(signataire))[0]!.canWithdraw).toBe(false);
  });
});
