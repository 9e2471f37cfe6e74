import { count, eq, like } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { comiteDocuments, emailOutbox } from "#db/schema";
import { MAX_DOCUMENT_BYTES } from "~/domain/comite-documents";
import { requireApiActor } from "~/lib/actor.server";
import type { DomainError } from "~/lib/domain-error";
import { calendarOf } from "~/models/calendar.server";
import { attachFrozenReports, readDocument } from "~/models/comites.server";
import { action as comitesAction, loader as comitesLoader } from "~/routes/api.v1.comites";
import { action as comiteAction, loader as comiteLoader } from "~/routes/api.v1.comites.$id";
import { action as documentsAction } from "~/routes/api.v1.comites.$id.documents";
import { type ApiCaller, apiCaller, callApi } from "./helpers/api";
import { insertAttributions, times } from "./helpers/attributions";
import { organisation, requestWithBearer, responseError } from "./helpers/fixtures";

type Caller = ApiCaller;
const caller = apiCaller;
const call = (
  who: Caller,
  handler: (args: never) => Promise<Response>,
  init: RequestInit,
  params: Record<string, string> = {},
) => callApi(who, handler, { path: "/comites", init, params });
const json = (method: string, body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json" },
});
const upload = (name: string, bytes: Uint8Array<ArrayBuffer>): RequestInit => {
  const form = new FormData();
  form.append("file", new File([bytes], name));
  return { method: "POST", body: form };
};

let mel: Caller;
let etat: Caller;
let urh: Caller;
let vilogia: Caller;
let lmh: Caller;
let lille: Caller;
let comiteId: string;

beforeAll(async () => {
  mel = await caller("mel", ["gestionnaire"]);
  etat = await caller("etat", ["gestionnaire"]);
  urh = await caller("urh", ["gestionnaire"]);
  vilogia = await caller("vilogia", ["gestionnaire"]);
  lmh = await caller("lille-metropole-habitat", ["gestionnaire"]);
  lille = await caller("commune-59350", ["gestionnaire"]);
});

const visible = async (who: Caller) =>
  ((await call(who, comitesLoader, { method: "GET" })).body as unknown as Array<{ id: string }>).map(
    (c) => c.id,
  );

const stored = async () => (await db.select({ n: count() }).from(comiteDocuments))[0]!.n;
const COMITE_YEAR = 2026;

describe("comité de suivi (004 art. 10)", () => {
  it("lets the MEL schedule a meeting with the members and the bailleurs of the agenda; the calendar is then done", async () => {
    const melActor = await requireApiActor(requestWithBearer(mel.token, "/"));
    expect(
      (await calendarOf(melActor, new Date("2026-12-01T12:00:00Z"))).find((i) => i.kind === "comite")?.status,
    ).toBe("due");
    expect(
      (
        await call(
          etat,
          comitesAction,
          json("POST", { heldOn: "2026-12-10", place: "Lille", agenda: "Bilan" }),
        )
      ).status,
    ).toBe(403);
    const created = await call(
      mel,
      comitesAction,
      json("POST", {
        heldOn: "2026-12-10",
        heldTime: "09:30",
        place: "Siège de la MEL",
        agenda: "Bilan 2026, programmes neufs",
        bailleurs: ["vilogia"],
      }),
    );
    expect(created.status).toBe(201);
    comiteId = created.body.id as string;
    // Its date and time, for every invited party (09:30 in Paris is 08:30 UTC in December).
    const listed = (await call(vilogia, comitesLoader, { method: "GET" })).body as unknown as Array<{
      id: string;
      heldAt: string;
    }>;
    expect(listed.find((c) => c.id === comiteId)?.heldAt).toBe("2026-12-10T08:30:00.000Z");
    expect(
      (await calendarOf(melActor, new Date("2026-12-01T12:00:00Z"))).find((i) => i.kind === "comite")?.status,
    ).toBe("done");
  });

  it("shows the meeting to the invited members and bailleurs only; communes once the reporting is published", async () => {
    for (const who of [mel, etat, urh, vilogia]) expect(await visible(who)).toEqual([comiteId]);
    for (const who of [lmh, lille]) expect(await visible(who)).toEqual([]);
    expect((await call(lmh, comiteLoader, { method: "GET" }, { id: comiteId })).status).toBe(404);
  });

  it("refuses an action it does not know, naming the two it takes", async () => {
    const refused = await call(mel, comiteAction, json("POST", { action: "annuler" }), { id: comiteId });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual({ action: expect.stringMatching(/« convene » .* « publish »/) });
  });

  it("sends the convocation once, to the invited organisations", async () => {
    expect(
      (await call(mel, comiteAction, json("POST", { action: "convene" }), { id: comiteId })).status,
    ).toBe(200);
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(like(emailOutbox.subject, "Convocation au comité%"));
    const to = mails.map((m) => m.to);
    expect(to).toEqual(expect.arrayContaining([etat.email, urh.email, vilogia.email, mel.email]));
    expect(to).not.toContain(lmh.email);
    expect(
      (await call(mel, comiteAction, json("POST", { action: "convene" }), { id: comiteId })).status,
    ).toBe(409);
  });

  it("refuses an attachment over 20 MB (413) or of the wrong type (400), storing nothing; accepts a PDF", async () => {
    const big = new Uint8Array(MAX_DOCUMENT_BYTES + 1);
    big.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    const tooBig = await call(mel, documentsAction, upload("rapport.pdf", big), { id: comiteId });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toContain("20 Mo");
    const exe = await call(
      mel,
      documentsAction,
      upload("rapport.pdf", new Uint8Array([0x4d, 0x5a, 0x90, 0])),
      { id: comiteId },
    );
    expect(exe.status).toBe(400);
    expect(exe.body.message).toContain("ne correspond pas à son extension");
    const txt = await call(mel, documentsAction, upload("notes.txt", new TextEncoder().encode("bonjour")), {
      id: comiteId,
    });
    expect(txt.status).toBe(400);
    expect(await stored()).toBe(0);
    const pdf = await call(
      mel,
      documentsAction,
      upload("indicateurs.pdf", new TextEncoder().encode("%PDF-1.7\n…")),
      { id: comiteId },
    );
    expect(pdf.status).toBe(201);
    const csv = await call(
      mel,
      documentsAction,
      upload("conso.csv", new TextEncoder().encode("a;b\n1;2\n")),
      { id: comiteId },
    );
    expect(csv.status).toBe(201);
    expect(await stored()).toBe(2);
    expect(
      (
        await call(etat, documentsAction, upload("x.pdf", new TextEncoder().encode("%PDF-1.7")), {
          id: comiteId,
        })
      ).status,
    ).toBe(403);
  });

  it("attaches the chosen year's reports frozen as XLSX, for members and masked for communes; only the MEL may", async () => {
    const actorOf = (who: Caller) => requireApiActor(requestWithBearer(who.token, "/"));
    const documentsBefore = await stored();
    // Seven households in Lille: six « autres demandes », one DALO (a count the communes' files mask).
    const onMel = {
      bailleurId: (await organisation("vilogia")).id,
      contingent: "mel" as const,
      reservataireId: (await organisation("mel")).id,
      leaseDate: `${COMITE_YEAR}-03-02`,
    };
    await insertAttributions([...times(6, onMel), { ...onMel, publicCategory: "dalo_labellise" }]);
    await attachFrozenReports(await actorOf(mel), comiteId, COMITE_YEAR, new Date("2026-11-20T10:00:00Z"));
    const names = (
      await db
        .select({ filename: comiteDocuments.filename, contentType: comiteDocuments.contentType })
        .from(comiteDocuments)
        .where(like(comiteDocuments.filename, "%-fige-le-2026-11-20.xlsx"))
    ).map((d) => d.filename);
    expect(names.sort()).toEqual([
      `bilan-metropolitain-${COMITE_YEAR}-fige-le-2026-11-20.xlsx`,
      `bilan-metropolitain-communes-${COMITE_YEAR}-fige-le-2026-11-20.xlsx`,
      `consommation-${COMITE_YEAR}-fige-le-2026-11-20.xlsx`,
      `consommation-communes-${COMITE_YEAR}-fige-le-2026-11-20.xlsx`,
      `indicateurs-${COMITE_YEAR}-fige-le-2026-11-20.xlsx`,
      `indicateurs-communes-${COMITE_YEAR}-fige-le-2026-11-20.xlsx`,
    ]);
    expect(await stored()).toBe(documentsBefore + 6);
    const refused = attachFrozenReports(await actorOf(vilogia), comiteId, COMITE_YEAR);
    expect((await responseError(refused)).status).toBe(403);
    expect(await stored()).toBe(documentsBefore + 6);
  });

  it("records minutes and publishes the reporting to the communes", async () => {
    expect(
      (await call(mel, comiteAction, json("POST", { action: "publish" }), { id: comiteId })).status,
    ).toBe(409);
    const minutes = await call(
      mel,
      comiteAction,
      json("PUT", { minutes: "Les partenaires ont examiné…", decisions: "Aucune" }),
      { id: comiteId },
    );
    expect(minutes.status).toBe(200);
    expect(
      (await call(mel, comiteAction, json("POST", { action: "publish" }), { id: comiteId })).status,
    ).toBe(200);
    expect(await visible(lille)).toEqual([comiteId]);
    const reporting = await call(lille, comiteLoader, { method: "GET" }, { id: comiteId });
    expect(reporting.body.decisions).toBe("Aucune");
    // A commune gets the communes' versions only (counts under 5 masked), never the members' files.
    const filenames = (reporting.body.documents as Array<{ filename: string }>).map((d) => d.filename);
    expect(filenames.length).toBe(3);
    expect(filenames.every((f) => f.includes("-communes-"))).toBe(true);
    const actorOf = (who: Caller) => requireApiActor(requestWithBearer(who.token, "/"));
    const [membersOnly] = await db
      .select({ id: comiteDocuments.id })
      .from(comiteDocuments)
      .where(like(comiteDocuments.filename, "bilan-metropolitain-2%"));
    const leak = await readDocument(await actorOf(lille), comiteId, membersOnly!.id).catch(
      (e: DomainError) => e,
    );
    expect(leak).toMatchObject({ kind: "not_found", message: "Ce document est introuvable." });
    const [masked] = await db
      .select({ id: comiteDocuments.id })
      .from(comiteDocuments)
      .where(like(comiteDocuments.filename, "bilan-metropolitain-communes-%"));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await readDocument(await actorOf(lille), comiteId, masked!.id)).content as never,
    );
    const numbers = workbook.worksheets.flatMap((sheet) =>
      sheet
        .getSheetValues()
        .flatMap((row) => (Array.isArray(row) ? row.filter((v) => typeof v === "number") : [])),
    );
    expect(numbers.every((n) => n >= 5)).toBe(true);
    // Nor does a row's total give its masked cells away (total − the cells shown).
    const withMasked = workbook.worksheets
      .flatMap((sheet) => sheet.getSheetValues().filter((row) => Array.isArray(row)))
      .filter((row) => row.includes("< 5"));
    expect(withMasked.length).toBeGreaterThan(0);
    expect(withMasked.every((row) => row.at(-1) === "masqué")).toBe(true);
    expect(await visible(lmh)).toEqual([]);
    const mails = await db.select({ n: count() }).from(emailOutbox).where(eq(emailOutbox.to, lille.email));
    expect(mails[0]!.n).toBe(1);
  });
});
