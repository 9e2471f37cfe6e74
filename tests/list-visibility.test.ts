import ExcelJS from "exceljs";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { type ORGANISATION_KINDS, ROLES } from "#db/schema";
import { asSubject } from "#policies/ability";
import type { SubjectName } from "#policies/rules";
import {
  ATTRIBUTION_CONTINGENT_LABELS,
  type AttributionContingent,
  attributionPolicyRow,
} from "~/domain/attribution";
import type { Actor } from "~/lib/actor.server";
import { DomainError } from "~/lib/domain-error";
import { consumptionQuerySchema, indicatorFiltersSchema } from "~/lib/report-schemas";
import { signalementSchema } from "~/lib/signalement-schemas";
import { listAttributions } from "~/models/attributions.server";
import {
  metropolitanBilan,
  metropolitanBilanDownload,
  metropolitanBilanSummary,
  metropolitanBilanXlsx,
} from "~/models/metropolitan-bilan.server";
import {
  communesReports,
  consumptionCountsQuery,
  consumptionPage,
  consumptionReport,
  consumptionReportBody,
  filteredConsumptionReport,
  type IndicatorReport,
  indicatorPage,
  indicatorReport,
  indicatorReportBody,
  indicatorsByContingentQuery,
} from "~/models/reports.server";
import { reportExport } from "~/models/reports-export.server";
import { createSignalement, householdDetails, listSignalements } from "~/models/signalements.server";
import { insertAttributions, times } from "./helpers/attributions";
import { actorOf, BASE_URL, createUser, organisation } from "./helpers/fixtures";

// The list queries filter in SQL (`visibility()` in the signalements and attributions models by hand; the reports'
// conditions built from the rules, with a hand-written mapping of the rules' fields to their columns); the policy
// decides row by row. For every organisation kind and role, a list, a report and an export must return exactly the
// rows the policy lets the actor read.

const ONE_OF_EACH_KIND: Record<(typeof ORGANISATION_KINDS)[number], string> = {
  metropole: "mel",
  etat: "etat",
  departement: "departement-nord",
  urh: "urh",
  action_logement: "action-logement",
  sicf: "sicf",
  bailleur: "vilogia",
  commune: "commune-59350",
};

type Row = { id: string; subject: Record<string, unknown> };

/** Attributions on every kind of contingent, in two communes, for two bailleurs; one not counted on rights (NPRU). */
const ATTRIBUTIONS_ON: Array<
  [
    bailleur: string,
    contingent: AttributionContingent,
    reservataire: string | null,
    insee: string,
    npru?: true,
  ]
> = [
  ["vilogia", "mel", "mel", "59350"],
  ["vilogia", "mel", "mel", "59512"],
  ["vilogia", "commune", "commune-59350", "59350"],
  ["partenord-habitat", "commune", "commune-59512", "59512"],
  ["partenord-habitat", "etat", "etat", "59512"],
  ["partenord-habitat", "etat_agents", "etat", "59350"],
  ["vilogia", "action_logement", "action-logement", "59350"],
  ["partenord-habitat", "departement", "departement-nord", "59350", true],
  ["partenord-habitat", "departement", "departement-nord", "59512"],
  ["vilogia", "sicf", "sicf", "59512"],
  ["vilogia", "none", null, "59350"],
];

let actors: Promise<Array<{ kind: string; role: string; actor: Actor }>> | undefined;
/** One member of each organisation kind with each role, made once for the file. */
function everyActor() {
  actors ??= (async () => {
    const made = [];
    for (const [kind, slug] of Object.entries(ONE_OF_EACH_KIND))
      for (const role of ROLES)
        made.push({ kind, role, actor: await actorOf(await createUser(slug, [role])) });
    return made;
  })();
  return actors;
}
const orgId = async (slug: string) => (await organisation(slug)).id;

/** For every kind and role: the ids `list` returns among `rows` (or "refused" on its 403) against the policy's. */
async function expectListEqualsPolicy(
  subjectType: SubjectName,
  rows: Row[],
  list: (actor: Actor) => Promise<Array<{ id: string }>>,
) {
  for (const { kind, role, actor } of await everyActor()) {
    const readable = rows.filter((row) => actor.ability.can("read", asSubject(subjectType, row.subject)));
    const expected = actor.ability.can("read", subjectType)
      ? readable.map((row) => row.id).sort()
      : "refused";
    const got = await list(actor).then(
      (listed) => listed.map((r) => r.id).filter((id) => rows.some((row) => row.id === id)),
      refused,
    );
    expect(got === "refused" ? got : got.sort(), `${subjectType}, ${kind} ${role}`).toEqual(expected);
  }
}

/** A refusal, thrown by a model or by the guard (both a DomainError), is the answer "refused". */
function refused(error: unknown): "refused" {
  if (error instanceof DomainError && error.kind === "forbidden") return "refused";
  throw error;
}

describe("list queries equal the policy", () => {
  const signalements: Row[] = [];
  const attributions: Row[] = [];

  beforeAll(async () => {
    // Two communes, each signalling to Vilogia alone, to another bailleur alone, and to both.
    for (const commune of ["commune-59350", "commune-59512"]) {
      const author = await actorOf(await createUser(commune, ["gestionnaire"]));
      for (const bailleurSlugs of [["vilogia"], ["partenord-habitat"], ["vilogia", "partenord-habitat"]]) {
        const input = signalementSchema.parse({
          numeroUnique: `0592501${String(20_000 + signalements.length).padStart(5, "0")}V`,
          adults: 1,
          children: 0,
          typology: "T2",
          communesWanted: ["59350"],
          publicCategory: "autre",
          urgency: "normal",
          reason: "Logement indigne.",
          bailleurSlugs,
        });
        const { id } = await createSignalement(author, input, { baseUrl: BASE_URL });
        const bailleurs = await Promise.all(bailleurSlugs.map(orgId));
        // The policy's subject, as policies/rules.ts documents it: its commune and its addressed bailleurs.
        signalements.push({ id, subject: { partyIds: [author.organisation.id, ...bailleurs] } });
      }
    }

    // Attributions on every kind of contingent, in two communes, for two bailleurs.
    for (const [bailleur, contingent, reservataire, insee] of ATTRIBUTIONS_ON) {
      const row = {
        bailleurId: await orgId(bailleur),
        contingent,
        reservataireId: reservataire ? await orgId(reservataire) : null,
        communeInsee: insee,
      };
      const [inserted] = await insertAttributions([row]);
      const subject = attributionPolicyRow({
        ...row,
        communeOrganisationId: await orgId(`commune-${insee}`),
      });
      attributions.push({ id: inserted!.id, subject });
    }
  });

  it("signalements: the board, the API and the exports (visibility) list what the policy lets read", async () => {
    expect(signalements).toHaveLength(6);
    await expectListEqualsPolicy("Signalement", signalements, (actor) =>
      listSignalements(actor, {}, { limit: 10_000 }),
    );
  });

  it("signalements: the export's household details are given for what the policy lets read, and no other", async () => {
    const ids = signalements.map((s) => s.id);
    await expectListEqualsPolicy("Signalement", signalements, (actor) =>
      householdDetails(actor, ids).then((details) => [...details.keys()].map((id) => ({ id }))),
    );
  });

  it("attributions: the list and the API (visibility) list what the policy lets read", async () => {
    expect(attributions).toHaveLength(ATTRIBUTIONS_ON.length);
    await expectListEqualsPolicy("Attribution", attributions, (actor) =>
      listAttributions(actor, {}, { via: "api", limit: 1000 }).then((page) => page.attributions),
    );
  });
});

// ── Reports ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** A year no seed reaches: the reports of that year hold the attributions below and nothing else. */
const YEAR = 2031;
/** Each attribution is recorded this many times: no count falls under 5, so a commune's masking hides none. */
const COPIES = 5;

/** The rows of a CSV or XLSX export, as text cells. */
async function exportRows(response: Response): Promise<string[][]> {
  expect(response.status).toBe(200);
  if (response.headers.get("content-type")?.startsWith("text/csv"))
    return Papa.parse<string[]>((await response.text()).replace(/^\uFEFF/, ""), { delimiter: ";" }).data;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  const rows: string[][] = [];
  workbook.worksheets[0]!.eachRow({ includeEmpty: true }, (row) => {
    rows.push(
      (row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? "" : String(v))),
    );
  });
  return rows;
}

/** Figures keyed by contingent and by commune: `contingent:<label>` and `commune:<INSEE code>` → attributions. */
type Figures = Record<string, number>;
const add = (figures: Figures, key: string, n: number) => {
  figures[key] = (figures[key] ?? 0) + n;
};

function figuresOf(report: IndicatorReport): Figures {
  const figures: Figures = {};
  for (const r of report.byContingent)
    add(figures, `contingent:${ATTRIBUTION_CONTINGENT_LABELS[r.contingent]}`, Number(r.total));
  for (const r of report.byCommune) add(figures, `commune:${r.communeInsee}`, Number(r.total));
  return figures;
}

/** The indicators export: contingent lines under the header, a blank line, the communes' header and lines. */
function figuresOfExport(rows: string[][]): Figures {
  const figures: Figures = {};
  const blank = (row: string[]) => row.every((cell) => cell === "");
  const end = rows.findIndex(blank);
  for (const r of rows.slice(1, end)) add(figures, `contingent:${r[0]}`, Number(r[2]));
  const communes = rows.slice(end + 2);
  for (const r of communes.slice(0, communes.findIndex(blank))) add(figures, `commune:${r[1]}`, Number(r[3]));
  return figures;
}

type FigureRow = { keys: string[]; subject: Record<string, unknown> };

/** For every kind and role: the figures `report` gives (or "refused") against the sum of the rows the policy lets read. */
async function expectFiguresEqualPolicy(
  subjectType: SubjectName,
  rows: FigureRow[],
  report: (actor: Actor) => Promise<Figures>,
) {
  for (const { kind, role, actor } of await everyActor()) {
    const expected: Figures = {};
    for (const row of rows)
      if (actor.ability.can("read", asSubject(subjectType, row.subject)))
        for (const key of row.keys) add(expected, key, COPIES);
    const got = await report(actor).then((figures) => figures, refused);
    expect(got, `${subjectType}, ${kind} ${role}`).toEqual(
      actor.ability.can("read", subjectType) ? expected : "refused",
    );
  }
}

describe("reports and their exports equal the policy", () => {
  /** Réservataire × bailleur pairs with attributions counted on rights, by name (the exports show names). */
  const pairs: Row[] = [];
  const indicatorRows: FigureRow[] = [];
  const nameOf = new Map<string, string>();
  const params = (query: Record<string, string> = {}) =>
    new URLSearchParams({ year: String(YEAR), ...query });

  beforeAll(async () => {
    for (const [bailleurSlug, contingent, reservataireSlug, insee, npru] of ATTRIBUTIONS_ON) {
      const bailleur = await organisation(bailleurSlug);
      const reservataire = reservataireSlug ? await organisation(reservataireSlug) : null;
      const commune = await organisation(`commune-${insee}`);
      for (const o of [bailleur, reservataire]) if (o) nameOf.set(o.id, o.name);
      const [inserted] = await insertAttributions(
        times(COPIES, {
          bailleurId: bailleur.id,
          contingent,
          reservataireId: reservataire?.id ?? null,
          communeInsee: insee,
          leaseDate: `${YEAR}-03-01`,
          publicCategory: npru ? "npru" : "autre",
        }),
      );
      // The policy's subjects, as policies/rules.ts documents a report row: [réservataire, bailleur], and for the
      // indicators the organisation of the flat's commune.
      indicatorRows.push({
        keys: [`contingent:${ATTRIBUTION_CONTINGENT_LABELS[contingent]}`, `commune:${insee}`],
        subject: { partyIds: [bailleur.id, reservataire?.id, commune.id].filter(Boolean) },
      });
      const id = `${reservataire?.name}|${bailleur.name}`;
      if (reservataire && inserted!.countsOnRights && !pairs.some((p) => p.id === id))
        pairs.push({ id, subject: { partyIds: [reservataire.id, bailleur.id] } });
    }
  });

  const query = consumptionQuerySchema.parse({ year: YEAR });
  type Line = { reservataire: { name: string }; bailleur: { name: string } };
  const ids = (rows: Line[]) => rows.map((r) => ({ id: `${r.reservataire.name}|${r.bailleur.name}` }));
  const fromExport = (rows: string[][]) => rows.slice(1).map((r) => ({ id: `${r[0]}|${r[1]}` }));
  const consumptionReads: Record<string, (actor: Actor) => Promise<Array<{ id: string }>>> = {
    report: async (actor) => ids(await consumptionReport(actor, YEAR)),
    "filtered report": async (actor) => ids(await filteredConsumptionReport(actor, query)),
    // Every row of the page's filters, on one page.
    page: async (actor) =>
      ids((await consumptionPage(actor, query, { rowsPerPage: Number.MAX_SAFE_INTEGER })).rows),
    "API body": async (actor) =>
      ids(JSON.parse(new TextDecoder().decode(await consumptionReportBody(actor, query)))),
    "comité's communes copy": async (actor) => ids((await communesReports(actor, YEAR)).consumption),
    "bare query (bench)": async (actor) =>
      (await consumptionCountsQuery(actor, YEAR)).map((r) => ({
        id: `${nameOf.get(r.reservataireId!)}|${nameOf.get(r.bailleurId)}`,
      })),
    "CSV export": async (actor) =>
      fromExport(await exportRows(await reportExport(actor, params(), "consommation", "csv"))),
    "XLSX export": async (actor) =>
      fromExport(await exportRows(await reportExport(actor, params(), "consommation", "xlsx"))),
  };
  it.each(Object.keys(consumptionReads))("consumption, %s", async (name) => {
    expect(pairs).toHaveLength(7);
    await expectListEqualsPolicy("ConsumptionReport", pairs, consumptionReads[name]!);
  });

  const filters = indicatorFiltersSchema.parse({ year: YEAR });
  const indicatorReads: Record<string, (actor: Actor) => Promise<Figures>> = {
    report: async (actor) => figuresOf(await indicatorReport(actor, filters)),
    page: async (actor) => figuresOf((await indicatorPage(actor, filters)).report),
    "API body": async (actor) =>
      figuresOf(JSON.parse(new TextDecoder().decode(await indicatorReportBody(actor, filters)))),
    "comité's communes copy": async (actor) => figuresOf((await communesReports(actor, YEAR)).indicators),
    "bare query (bench)": async (actor) => {
      const figures: Figures = {};
      for (const r of await indicatorsByContingentQuery(actor, filters))
        add(figures, `contingent:${ATTRIBUTION_CONTINGENT_LABELS[r.contingent]}`, r.total);
      // The bare query groups by contingent only: its communes are the report's.
      const report = figuresOf(await indicatorReport(actor, filters));
      for (const key of Object.keys(report)) if (key.startsWith("commune:")) add(figures, key, report[key]!);
      return figures;
    },
    "CSV export": async (actor) =>
      figuresOfExport(await exportRows(await reportExport(actor, params(), "indicateurs", "csv"))),
    "XLSX export": async (actor) =>
      figuresOfExport(await exportRows(await reportExport(actor, params(), "indicateurs", "xlsx"))),
  };
  it.each(Object.keys(indicatorReads))("indicators, %s", async (name) => {
    expect(indicatorRows).toHaveLength(ATTRIBUTIONS_ON.length);
    await expectFiguresEqualPolicy("IndicatorReport", indicatorRows, indicatorReads[name]!);
  });

  /** The bilan's attributions: its QPV dimension partitions them. */
  const total = (cells: Array<{ dimension: string; n: number }>) =>
    cells.filter((c) => c.dimension === "qpv").reduce((sum, c) => sum + c.n, 0);
  /** The « QPV » sheet's « Total » column. */
  const sheetTotal = async (content: Buffer | Response) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      content instanceof Response ? await content.arrayBuffer() : new Uint8Array(content).buffer,
    );
    let sum = 0;
    workbook.getWorksheet("QPV")!.eachRow((row, n) => {
      const last = row.getCell(row.cellCount).value;
      if (n > 2 && typeof last === "number") sum += last;
    });
    return sum;
  };
  const bilanReads: Record<string, (actor: Actor) => Promise<number | null>> = {
    bilan: async (actor) => total(await metropolitanBilan(actor, YEAR)),
    "XLSX for the comité": async (actor) =>
      sheetTotal(await metropolitanBilanXlsx(actor, YEAR, { mask: false })),
    download: async (actor) => sheetTotal(await metropolitanBilanDownload(actor, params())),
    // The bilans page shows the first-quartile share and the quartiers to the same readers, to no one else (null).
    "summary (first-quartile share, quartiers)": async (actor) =>
      (await metropolitanBilanSummary(actor, YEAR)) === null ? null : indicatorRows.length * COPIES,
  };
  it.each(Object.keys(bilanReads))(
    "metropolitan bilan (CIL), %s: every attribution for whoever the policy lets read every one, else refused",
    async (name) => {
      for (const { kind, role, actor } of await everyActor()) {
        const everyRow = indicatorRows.every((row) =>
          actor.ability.can("read", asSubject("IndicatorReport", row.subject)),
        );
        const got = await bilanReads[name]!(actor).then((n) => n ?? "refused", refused);
        expect(got, `${kind} ${role}`).toEqual(everyRow ? indicatorRows.length * COPIES : "refused");
      }
    },
  );
});
