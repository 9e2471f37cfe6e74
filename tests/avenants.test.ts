import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, avenants, emailOutbox } from "#db/schema";
import { avenantDeadline, deadlineEnd } from "~/domain/deadline";
import { runJobs } from "~/jobs/run.server";
import type { DomainError } from "~/lib/domain-error";
import { reviseAvenant, sendAvenant } from "~/models/avenants.server";
import { action as publishAction } from "~/routes/api.v1.assiettes.$year.publish";
import { loader as listLoader } from "~/routes/api.v1.avenants";
import { action as acceptAction } from "~/routes/api.v1.avenants.$id.accept";
import { action as contestAction } from "~/routes/api.v1.avenants.$id.contest";
import { action as sendAction } from "~/routes/api.v1.avenants.$id.send";
import { action as generateAction } from "~/routes/api.v1.avenants.generate";
import { action as forecastAction } from "~/routes/api.v1.forecasts.$year";
import { apiOf } from "./helpers/cycle";
import { actorOf, createUser } from "./helpers/fixtures";

/**
 * The yearly cycle end to end on the API: forecasts → publication → letters generated → sent → accepted or
 * contested → revised and re-sent → reminders and tacit acceptance by the job with `now` past the deadline.
 */
const YEAR = 2026;
type Api = Awaited<ReturnType<typeof apiOf>>;
type Avenant = {
  id: string;
  status: string;
  bailleur: { name: string };
  rights: { exact: number; rounded: number };
  rateBp: number;
  fluxH: number;
  sentAt: string | null;
  deadline: { lastDay: string; endsAt: string } | null;
  contestReason: string | null;
};
const api: Record<string, Api> = {};

const list = async (who: string) =>
  (await api[who]!.call(listLoader as never, `/api/v1/avenants?year=${YEAR}`)).body as unknown as Avenant[];
const step = (who: string, handler: unknown, id: string, name: string, body?: unknown) =>
  api[who]!.call(handler as never, `/api/v1/avenants/${id}/${name}`, {
    method: "POST",
    body,
    params: { id },
  });
const letterTo = async (who: string, bailleurName: string) =>
  (await list(who)).find((a) => a.bailleur.name === bailleurName)!;

beforeAll(async () => {
  const people: Array<[string, string, Parameters<typeof createUser>[1]]> = [
    ["etat", "etat", ["gestionnaire"]],
    ["mel-gestionnaire", "mel", ["gestionnaire"]],
    ["mel-signataire", "mel", ["signataire"]],
    ["als-signataire", "action-logement", ["signataire"]],
    ["vilogia-signataire", "vilogia", ["signataire"]],
    ["vilogia-gestionnaire", "vilogia", ["gestionnaire"]],
    ["icf-signataire", "icf-habitat-nord-est", ["signataire"]],
    ["partenord-gestionnaire", "partenord-habitat", ["gestionnaire"]],
    ["commune", "commune-59350", ["admin", "signataire"]],
  ];
  for (const [who, slug, roles] of people) api[who] = await apiOf(await createUser(slug, roles));
});

describe("yearly cycle on the API", () => {
  it("refuses to generate letters before the assiette is published", async () => {
    const early = await api["mel-gestionnaire"]!.call(generateAction as never, "/api/v1/avenants/generate", {
      method: "POST",
      body: { year: YEAR },
    });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/pas encore publiée/);
  });

  it("generates, once the assiette is published, one draft per bailleur where the rate is above 0 (idempotent)", async () => {
    const forecasts: Array<[string, number]> = [
      ["vilogia-signataire", 1400],
      ["icf-signataire", 300],
      ["partenord-gestionnaire", 1185],
    ];
    for (const [who, h] of forecasts) {
      const res = await api[who]!.call(forecastAction as never, `/api/v1/forecasts/${YEAR}`, {
        method: "PUT",
        body: { a: h + 50, b: 0, c: 50, d: 0, e: 0, f: 0, g: 0 },
        params: { year: String(YEAR) },
      });
      expect(res.status).toBe(200);
    }
    const published = await api.etat!.call(publishAction as never, `/api/v1/assiettes/${YEAR}/publish`, {
      method: "POST",
      body: { confirmIncomplete: true },
      params: { year: String(YEAR) },
    });
    expect(published.status).toBe(200);

    const generate = (who: string, body: unknown = { year: YEAR }) =>
      api[who]!.call(generateAction as never, "/api/v1/avenants/generate", { method: "POST", body });
    expect((await generate("mel-gestionnaire", { year: "2026" })).status).toBe(400);
    expect((await generate("vilogia-signataire")).status).toBe(403);
    expect((await generate("commune")).status).toBe(403);
    const first = await generate("mel-gestionnaire");
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(2);
    // No MEL contingent on Partenord Habitat.
    const names = (first.body.avenants as Avenant[]).map((a) => a.bailleur.name).sort();
    expect(names).toEqual(["ICF Habitat Nord-Est", "Vilogia"]);
    const again = await generate("mel-signataire");
    expect(again.body).toMatchObject({ created: 0, existing: 2 });
    const vilogia = await letterTo("mel-gestionnaire", "Vilogia");
    expect(vilogia).toMatchObject({
      status: "draft",
      rateBp: 2000,
      fluxH: 1400,
      sentAt: null,
      deadline: null,
    });
    expect(vilogia.rights).toEqual({ exact: 280, rounded: 280 });
    // ALS: rétrocession 1,3 % on every bailleur with figures, Partenord included.
    expect((await generate("als-signataire")).body.created).toBe(3);
  });

  it("shows each party only its letters; a commune none; another party's letter answers 404", async () => {
    expect((await list("vilogia-gestionnaire")).map((a) => a.status)).toEqual(["draft", "draft"]);
    expect((await list("partenord-gestionnaire")).length).toBe(1);
    expect((await list("mel-signataire")).length).toBe(2);
    expect((await api.commune!.call(listLoader as never, "/api/v1/avenants")).status).toBe(403);
    const icfLetter = await letterTo("mel-signataire", "ICF Habitat Nord-Est");
    expect((await step("vilogia-signataire", acceptAction, icfLetter.id, "accept")).status).toBe(404);
    expect((await step("commune", sendAction, icfLetter.id, "send")).status).toBe(404);
    expect((await step("mel-signataire", sendAction, "pas-un-uuid", "send")).status).toBe(404);
  });

  it("refuses a year that is not four digits, saying how to write it", async () => {
    const refused = await api["mel-signataire"]!.call(listLoader as never, "/api/v1/avenants?year=26");
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/year invalide : indiquez une année sur quatre chiffres/);
  });

  it("lets only the réservataire's signataire send; the bailleur's signataires are told the deemed-acceptance date", async () => {
    const letter = await letterTo("mel-signataire", "Vilogia");
    expect((await step("mel-gestionnaire", sendAction, letter.id, "send")).status).toBe(403);
    expect((await step("vilogia-signataire", sendAction, letter.id, "send")).status).toBe(403);
    expect((await step("vilogia-signataire", acceptAction, letter.id, "accept")).status).toBe(409);
    const sent = await step("mel-signataire", sendAction, letter.id, "send");
    expect(sent.status).toBe(200);
    const body = sent.body as unknown as Avenant;
    expect(body.status).toBe("sent");
    const expected = avenantDeadline(new Date(body.sentAt!));
    expect(body.deadline!.lastDay).toBe(expected.lastDay);
    expect(new Date(body.deadline!.endsAt).getTime()).toBe(expected.endsAt.getTime());
    expect((await step("mel-signataire", sendAction, letter.id, "send")).status).toBe(409);
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.to, api["vilogia-signataire"]!.user.email));
    const letterMail = mails.find((m) => m.text.includes(letter.id))!;
    expect(letterMail.text).toContain(`réputé accepté le ${deadlineEnd(expected.lastDay)}`);
  });

  it("lets only the bailleur's signataire accept, once", async () => {
    const letter = await letterTo("vilogia-signataire", "Vilogia");
    expect((await step("vilogia-gestionnaire", acceptAction, letter.id, "accept")).status).toBe(403);
    expect((await step("mel-signataire", acceptAction, letter.id, "accept")).status).toBe(403);
    const accepted = await step("vilogia-signataire", acceptAction, letter.id, "accept");
    expect(accepted.body.status).toBe("accepted");
    const twice = await step("vilogia-signataire", acceptAction, letter.id, "accept");
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe("Ce courrier est déjà accepté.");
    expect(
      (
        await step("vilogia-signataire", contestAction, letter.id, "contest", {
          part: "rate",
          reason: "Trop tard pour ça.",
        })
      ).status,
    ).toBe(409);
  });

  it("takes a contest with its reason; the réservataire revises and re-sends; the job reminds then accepts tacitly", async () => {
    const letter = await letterTo("mel-signataire", "ICF Habitat Nord-Est");
    await step("mel-signataire", sendAction, letter.id, "send");
    const short = await step("icf-signataire", contestAction, letter.id, "contest", {
      part: "rate",
      reason: "non",
    });
    expect(short.status).toBe(400);
    expect((short.body.errors as Record<string, string>).reason).toMatch(/10 caractères/);
    const reason = "Le flux prévu sur la résidence Les Tilleuls est surestimé.";
    const contested = await step("icf-signataire", contestAction, letter.id, "contest", {
      part: "rate",
      reason,
    });
    expect(contested.body).toMatchObject({ status: "contested", contestReason: reason });
    expect((await letterTo("mel-gestionnaire", "ICF Habitat Nord-Est")).contestReason).toBe(reason);

    const who = await actorOf(api["mel-signataire"]!.user);
    const reply = "Le taux est ramené à 15 % pour tenir compte de la baisse du flux.";
    const tooHigh = await reviseAvenant(who, {
      id: letter.id,
      reply,
      rateBp: 2500,
      baseUrl: "http://x",
    }).catch((e: DomainError) => e.kind);
    expect(tooHigh).toBe("invalid");
    // Revising the rate sends a new letter at once: a new two-month period.
    const sentAt = new Date("2026-03-31T10:00:00Z");
    const resent = await reviseAvenant(who, {
      id: letter.id,
      reply,
      rateBp: 1500,
      baseUrl: "http://localhost:3000",
      now: sentAt,
    });
    // 31 March + 2 months = 31 May, end of day in Paris.
    expect(resent.deadlineLastDay).toBe("2026-05-31");
    expect(resent.rights).toBe(45);

    const endsAt = resent.deadlineEndsAt!;
    const at = (days: number) => new Date(endsAt.getTime() - days * 86_400_000);
    const reminders = () => db.select().from(auditLog).where(like(auditLog.action, "avenant.reminder%"));
    await runJobs(at(20));
    expect(await reminders()).toHaveLength(0);
    await runJobs(at(10));
    await runJobs(at(9));
    expect((await reminders()).map((r) => r.action)).toEqual(["avenant.reminder_15d"]);
    await runJobs(at(2));
    expect((await reminders()).map((r) => r.action).sort()).toEqual([
      "avenant.reminder_15d",
      "avenant.reminder_3d",
    ]);
    const reminderMails = await db
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.to, api["icf-signataire"]!.user.email));
    expect(reminderMails.filter((m) => m.subject.startsWith("Rappel")).length).toBe(2);

    // Still within the period at 23:59 on 31 May in Paris: nothing happens.
    await runJobs(new Date(endsAt.getTime() - 60_000));
    expect((await letterTo("icf-signataire", "ICF Habitat Nord-Est")).status).toBe("sent");
    await runJobs(endsAt);
    await runJobs(endsAt);
    const done = await letterTo("icf-signataire", "ICF Habitat Nord-Est");
    expect(done.status).toBe("tacitly_accepted");
    const tacit = await db.select().from(auditLog).where(eq(auditLog.action, "avenant.tacit_acceptance"));
    expect(tacit.map((t) => t.subjectId)).toEqual([letter.id]);
    expect(tacit[0]!.actorUserId).toBeNull();
  });

  it("refuses an answer after the deadline, before the job has run: « délai expiré le … »", async () => {
    const letter = await letterTo("als-signataire", "Vilogia");
    const sentAt = new Date("2025-12-31T15:00:00Z");
    await sendAvenant(await actorOf(api["als-signataire"]!.user), {
      id: letter.id,
      baseUrl: "http://localhost:3000",
      now: sentAt,
    });
    const [row] = await db.select().from(avenants).where(eq(avenants.id, letter.id));
    expect(row!.deadlineLastDay).toBe("2026-02-28");
    const late = await step("vilogia-signataire", acceptAction, letter.id, "accept");
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/^Délai expiré le samedi 28 février 2026 à 24 h/);
    const [unchanged] = await db.select().from(avenants).where(eq(avenants.id, letter.id));
    expect(unchanged!.status).toBe("sent");
  });
});
