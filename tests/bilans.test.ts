import { like } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { bilanRemindersDue } from "~/domain/bilan";
import { PUBLIC_CLASSES } from "~/domain/publics";
import { asHttpError } from "~/lib/http.server";
import { bilanFigures, remindBilans } from "~/models/bilans.server";
import { action, loader } from "~/routes/_app.bilans";
import { loader as pdfLoader } from "~/routes/bilans.export[.pdf]";
import { loader as xlsxLoader } from "~/routes/bilans.export[.xlsx]";
import { loader as metropolitanLoader } from "~/routes/bilans.metropolitain[.xlsx]";
import { insertAttributions, times } from "./helpers/attributions";
import { browserOf } from "./helpers/cycle";
import { actorOf, createUser, organisation } from "./helpers/fixtures";

/** Bilans annuels (decree 2020-145): figures, sending, acknowledgement, downloads, who sees them, reminders. */
type Org = Awaited<ReturnType<typeof organisation>>;
type BoardRow = {
  bailleur: { id: string };
  reservataire: { id: string };
  bilan: { id: string; proposed: number; attributed: number } | null;
  status: string;
  canAcknowledge: boolean;
};
let vilogia: Org;
let mel: Org;
let signataire: Awaited<ReturnType<typeof browserOf>>;
let lecteur: Awaited<ReturnType<typeof browserOf>>;
let melGestionnaire: Awaited<ReturnType<typeof browserOf>>;
let otherBailleur: Awaited<ReturnType<typeof browserOf>>;

beforeAll(async () => {
  vilogia = await organisation("vilogia");
  mel = await organisation("mel");
  signataire = await browserOf(await createUser("vilogia", ["signataire"]));
  lecteur = await browserOf(await createUser("vilogia", ["lecteur"]));
  melGestionnaire = await browserOf(await createUser("mel", ["gestionnaire"]));
  otherBailleur = await browserOf(await createUser("lille-metropole-habitat", ["signataire"]));
  const onMel = { bailleurId: vilogia.id, contingent: "mel" as const, reservataireId: mel.id };
  await insertAttributions([
    ...times(2, { ...onMel }),
    {
      ...onMel,
      typology: "T5",
      financing: "plai",
      qpv: true,
      communeInsee: "59512",
      constructionPeriod: "depuis_2015",
    },
    // Another year and another réservataire: not in this bilan.
    { ...onMel, leaseDate: "2024-05-01" },
    { bailleurId: vilogia.id, contingent: "etat", reservataireId: (await organisation("etat")).id },
  ]);
});

describe("bilan figures", () => {
  it("splits the flats attributed on the contingent by typology, financing, QPV, commune and period", async () => {
    const figures = await bilanFigures(await actorOf(await createUser("vilogia", ["lecteur"])), mel.id, 2025);
    expect(figures.total).toBe(3);
    const pairs = (key: keyof typeof figures.by) => (figures.by[key] ?? []).map((v) => [v.label, v.count]);
    expect(pairs("typology")).toEqual([
      ["T3", 2],
      ["T5", 1],
    ]);
    expect(pairs("financing")).toEqual([
      ["PLAI", 1],
      ["PLUS", 2],
    ]);
    expect(pairs("qpv")).toEqual([
      ["Hors QPV", 2],
      ["En QPV", 1],
    ]);
    expect(pairs("commune")).toEqual([
      ["Lille (59350)", 2],
      ["Roubaix (59512)", 1],
    ]);
    expect(pairs("constructionPeriod")).toEqual([
      ["1975 à 1989", 2],
      ["Depuis 2015", 1],
    ]);
  });

  it("are computed for the bailleur's own bilans only: a commune, party to none, is told there is none", async () => {
    const commune = await actorOf(await createUser("commune-59350", ["gestionnaire"]));
    const refused = await bilanFigures(commune, mel.id, 2025).catch((error: unknown) => asHttpError(error));
    expect((refused as Response).status).toBe(404);
  });
});

describe("sending and acknowledging", () => {
  const query = () => `?bailleur=${vilogia.id}&reservataire=${mel.id}&year=2025`;

  it("lets the bailleur's signataire send once with the flats proposed, mails the réservataire, and freezes the figures", async () => {
    const board = await signataire.get(loader, "/bilans?year=2025");
    const owed = board.body.rows as BoardRow[];
    expect(owed.find((o) => o.reservataire.id === mel.id)).toMatchObject({ bilan: null, status: "late" });
    // The MEL's board: Vilogia owes it a bilan and is late (28 February 2026 is past).
    const melBoard = (await melGestionnaire.get(loader, "/bilans?year=2025")).body.rows as BoardRow[];
    expect(melBoard.find((r) => r.bailleur.id === vilogia.id)).toMatchObject({ bilan: null, status: "late" });
    expect(
      (
        await lecteur.post(action, "/bilans?year=2025", {
          intent: "send",
          reservataireId: mel.id,
          proposed: "4",
        })
      ).status,
    ).toBe(403);
    for (const proposed of ["", "-2", "trois"]) {
      const refused = await signataire.post(action, "/bilans?year=2025", {
        intent: "send",
        reservataireId: mel.id,
        proposed,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/logements proposés/);
    }
    const sent = await signataire.post(action, "/bilans?year=2025", {
      intent: "send",
      reservataireId: mel.id,
      proposed: "4",
    });
    expect(sent.body).toMatchObject({ ok: true, message: "Bilan 2025 transmis." });
    const again = await signataire.post(action, "/bilans?year=2025", {
      intent: "send",
      reservataireId: mel.id,
      proposed: "4",
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/déjà été transmis/);
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(like(emailOutbox.subject, "Bilan annuel 2025 de Vilogia"));
    expect(mails.map((m) => m.to)).toContain(melGestionnaire.user.email);
    // Figures frozen: a late attribution does not change the sent bilan.
    await insertAttributions([{ bailleurId: vilogia.id, contingent: "mel", reservataireId: mel.id }]);
    const xlsx = await melGestionnaire.raw(xlsxLoader, `/bilans/export.xlsx${query()}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    expect(workbook.worksheets[0]!.getRow(3).values).toEqual([
      undefined,
      "Logements attribués sur le contingent",
      3,
    ]);
    expect(workbook.worksheets[0]!.getRow(4).values).toEqual([
      undefined,
      "Logements proposés au réservataire",
      4,
    ]);
    expect(xlsx.headers.get("content-disposition")).toBe(
      'attachment; filename="bilan-2025-vilogia-mel.xlsx"',
    );
    const pdf = await melGestionnaire.raw(pdfLoader, `/bilans/export.pdf${query()}`);
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    expect(pdf.headers.get("content-disposition")).toBe('attachment; filename="bilan-2025-vilogia-mel.pdf"');
    const after = (await melGestionnaire.get(loader, "/bilans?year=2025")).body.rows as BoardRow[];
    expect(after.find((r) => r.bailleur.id === vilogia.id)).toMatchObject({
      status: "sent_late",
      bilan: { proposed: 4, attributed: 3 },
    });
  });

  it("offers no « Transmettre » for a year not over yet, and refuses it", async () => {
    const year = new Date().getFullYear();
    const board = await signataire.get(loader, `/bilans?year=${year}`);
    expect(board.body).toMatchObject({ yearOver: false, canSend: false });
    expect((board.body.rows as BoardRow[]).every((r) => r.status === "not_due")).toBe(true);
    const early = await signataire.post(action, `/bilans?year=${year}`, {
      intent: "send",
      reservataireId: mel.id,
      proposed: "1",
    });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/n'est pas terminée/);
  });

  it("lets the réservataire acknowledge once; another bailleur sees nothing of it", async () => {
    const board = await melGestionnaire.get(loader, "/bilans?year=2025");
    const received = (board.body.rows as BoardRow[]).flatMap((r) =>
      r.bilan ? [{ ...r, bilan: r.bilan }] : [],
    );
    expect(received).toHaveLength(1);
    expect(received[0]!.canAcknowledge).toBe(true);
    const ack = await melGestionnaire.post(action, "/bilans?year=2025", {
      intent: "acknowledge",
      bilanId: received[0]!.bilan.id,
    });
    expect(ack.body.ok).toBe(true);
    const twice = await melGestionnaire.post(action, "/bilans?year=2025", {
      intent: "acknowledge",
      bilanId: received[0]!.bilan.id,
    });
    expect(twice.status).toBe(409);
    const other = await otherBailleur.get(loader, "/bilans?year=2025");
    expect(JSON.stringify(other.body)).not.toContain(received[0]!.bilan.id);
    expect((await otherBailleur.get(xlsxLoader, `/bilans/export.xlsx${query()}`)).status).toBe(404);
    expect(
      (
        await otherBailleur.post(action, "/bilans?year=2025", {
          intent: "acknowledge",
          bilanId: received[0]!.bilan.id,
        })
      ).status,
    ).toBe(404);
  });
});

describe("metropolitan bilan for the CIL", () => {
  it("gives the MEL every attribution by public, per bailleur (and quartile, commune, QPV); not a bailleur", async () => {
    const board = await melGestionnaire.get(loader, "/bilans?year=2025");
    expect(board.body.readsMetropolitan).toBe(true);
    const xlsx = await melGestionnaire.raw(metropolitanLoader, "/bilans/metropolitain.xlsx?year=2025");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      "Quartile de ressources",
      "QPV",
      "Quartile x QPV",
      "Quartier",
      "Contingent",
      "Bailleur",
      "Commune",
    ]);
    const bailleurs = workbook.getWorksheet("Bailleur")!;
    expect(bailleurs.getRow(2).values).toEqual([
      undefined,
      "Bailleur",
      ...PUBLIC_CLASSES.map((c) => c.label),
      "Total",
    ]);
    // Vilogia 2025: 3 + 1 late on the MEL, 1 on the État, all "other" demands.
    expect(bailleurs.getRow(3).values).toEqual([undefined, "Vilogia", 0, 0, 0, 0, 5, 5]);
    // The first-quartile target outside QPV (loi Égalité et Citoyenneté) is shown beside quartile × QPV.
    const crossed = workbook.getWorksheet("Quartile x QPV")!;
    const target = crossed
      .getRows(1, crossed.rowCount)!
      .find((r) => String(r.getCell(1).value).startsWith("Part du 1er"));
    expect(target?.getCell(3).value).toMatch(/objectif ≥ 25 %/);
    // The bilans page shows the MEL the same share beside its target; a bailleur, nothing.
    const { firstQuartile } = board.body.metropolitan as { firstQuartile: { share: number } };
    const { share } = firstQuartile;
    expect(firstQuartile).toMatchObject({ target: 0.25 });
    expect(`${Math.round(share * 1000) / 10} %`.replace(".", ",")).toBe(target?.getCell(2).value);
    expect((await signataire.get(loader, "/bilans?year=2025")).body.metropolitan).toBeNull();
    expect((await signataire.get(metropolitanLoader, "/bilans/metropolitain.xlsx?year=2025")).status).toBe(
      403,
    );
  });
});

describe("February reminders", () => {
  it("are due on 1 and 20 February (Paris) until the 28th", () => {
    expect(bilanRemindersDue(new Date("2027-01-31T22:59:00Z"))).toEqual([]);
    expect(bilanRemindersDue(new Date("2027-01-31T23:00:00Z"))).toEqual(["february_1"]); // 1 Feb, 00:00 Paris
    expect(bilanRemindersDue(new Date("2027-02-20T12:00:00Z"))).toEqual(["february_1", "february_20"]);
    expect(bilanRemindersDue(new Date("2027-02-28T12:00:00Z"))).toEqual([]);
  });

  it("queue each reminder once per bailleur that still owes bilans, whatever the passes", async () => {
    const reminders = () =>
      db.select().from(emailOutbox).where(like(emailOutbox.subject, "Rappel : bilans annuels 2026%"));
    const first = await remindBilans(new Date("2027-02-01T08:00:00Z"), "https://portail.test");
    expect(first).toBeGreaterThan(0);
    expect(await remindBilans(new Date("2027-02-03T08:00:00Z"), "https://portail.test")).toBe(0);
    const mails = await reminders();
    expect(mails).toHaveLength(first);
    expect(mails.map((m) => m.to)).toContain(signataire.user.email);
    await Promise.all([
      remindBilans(new Date("2027-02-21T08:00:00Z"), "https://portail.test"),
      remindBilans(new Date("2027-02-21T08:00:00Z"), "https://portail.test"),
    ]);
    expect(await reminders()).toHaveLength(first * 2);
  });
});
