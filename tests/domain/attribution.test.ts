import { describe, expect, it } from "vitest";
import {
  type AttributionContext,
  type AttributionInput,
  countsOnRights,
  resolveAttribution,
} from "~/domain/attribution";
import { attributionSchema } from "~/lib/attribution-schemas";

const context: AttributionContext = {
  today: "2025-06-30",
  recordingBailleurSlug: "vilogia",
  bailleurs: new Map([
    ["vilogia", { id: "b-vilogia", name: "Vilogia" }],
    ["partenord-habitat", { id: "b-partenord", name: "Partenord Habitat" }],
    ["icf-habitat-nord-est", { id: "b-icf", name: "ICF Habitat Nord-Est" }],
  ]),
  communes: new Map([
    ["59350", "c-lille"],
    ["59512", "c-roubaix"],
  ]),
  holders: new Map([
    ["2025:etat:b-vilogia", { id: "o-etat", rateBp: 2870 }],
    ["2025:metropole:b-vilogia", { id: "o-mel", rateBp: 2000 }],
    ["2025:action_logement:b-vilogia", { id: "o-als", rateBp: 1130 }],
    ["2025:etat:b-partenord", { id: "o-etat", rateBp: 2870 }],
    ["2025:action_logement:b-partenord", { id: "o-als", rateBp: 130 }],
    ["2025:etat:b-icf", { id: "o-etat", rateBp: 2870 }],
    ["2025:sicf:b-icf", { id: "o-sicf", rateBp: 2000 }],
  ]),
  communeShares: new Set(["2025:c-roubaix:b-vilogia"]),
  qpvs: new Map([
    [
      "QN05901X",
      { code: "QN05901X", name: "Quartier essai (démo)", communeInsee: "59512", communeName: "Roubaix" },
    ],
  ]),
};

const lease = (over: Partial<AttributionInput> = {}): AttributionInput => ({
  numeroUnique: "0592401001234A",
  leaseDate: "2025-03-01",
  bailleurSlug: "vilogia",
  communeInsee: "59350",
  qpv: false,
  qpvCode: null,
  contingent: "mel",
  publicCategory: "autre",
  transfer: "none",
  rehousing: "none",
  eligibility: null,
  ...over,
});
const errorsOf = (input: AttributionInput, ctx = context) => {
  const result = resolveAttribution(input, ctx);
  return result.ok ? [] : result.errors;
};

describe("the contingent an attribution counts on (004 art. 7)", () => {
  it("finds the réservataire holding it on this bailleur, the commune of the flat for `commune`, none for `none`", () => {
    expect(resolveAttribution(lease(), context)).toEqual({
      ok: true,
      value: { bailleurId: "b-vilogia", contingent: "mel", reservataireId: "o-mel", countsOnRights: true },
    });
    const agents = resolveAttribution(lease({ contingent: "etat_agents" }), context);
    expect(agents.ok && agents.value.reservataireId).toBe("o-etat");
    const commune = resolveAttribution(lease({ contingent: "commune", communeInsee: "59512" }), context);
    expect(commune.ok && commune.value.reservataireId).toBe("c-roubaix");
    // Lille holds no share of the MEL's 20 % on Vilogia (no convention signed by the three): refused.
    expect(errorsOf(lease({ contingent: "commune", communeInsee: "59350" }))).toEqual([
      {
        field: "contingent",
        message: expect.stringMatching(
          /La commune 59350 n'a pas de part du contingent de la MEL chez Vilogia en 2025/,
        ),
      },
    ]);
    // Shares are per year: Roubaix's 2025 share does not open 2024.
    expect(
      errorsOf(lease({ contingent: "commune", communeInsee: "59512", leaseDate: "2024-05-02" })),
    ).toHaveLength(1);
    const none = resolveAttribution(lease({ contingent: "none" }), context);
    expect(none.ok && none.value).toEqual({
      bailleurId: "b-vilogia",
      contingent: "none",
      reservataireId: null,
      countsOnRights: false,
    });
  });

  it("refuses the MEL contingent on Partenord Habitat and the SICF's on another bailleur than ICF Habitat Nord-Est", () => {
    const partenord = { ...context, recordingBailleurSlug: "partenord-habitat" };
    expect(errorsOf(lease({ bailleurSlug: "partenord-habitat" }), partenord)).toEqual([
      {
        field: "contingent",
        message: expect.stringMatching(/La MEL n'a pas de contingent chez Partenord Habitat/),
      },
    ]);
    expect(errorsOf(lease({ contingent: "sicf" }))).toEqual([
      {
        field: "contingent",
        message: expect.stringMatching(/La SICF ne réserve que chez ICF Habitat Nord-Est/),
      },
    ]);
    const icf = { ...context, recordingBailleurSlug: "icf-habitat-nord-est" };
    expect(errorsOf(lease({ bailleurSlug: "icf-habitat-nord-est", contingent: "sicf" }), icf)).toEqual([]);
  });

  it("takes ALS's own contingent only where a rate was negotiated, its rétrocession everywhere", () => {
    const partenord = { ...context, recordingBailleurSlug: "partenord-habitat" };
    const als = (contingent: AttributionInput["contingent"], bailleurSlug: string, ctx = context) =>
      errorsOf(lease({ contingent, bailleurSlug }), ctx);
    expect(als("action_logement", "vilogia")).toEqual([]);
    expect(als("action_logement_retrocession", "partenord-habitat", partenord)).toEqual([]);
    expect(als("action_logement", "partenord-habitat", partenord)[0]?.message).toMatch(
      /Partenord Habitat n'a pas de convention ouvrant un contingent « Action Logement »/,
    );
  });

  it("refuses a contingent the bailleur has no convention for (Département not activated)", () => {
    expect(errorsOf(lease({ contingent: "departement" }))[0]?.message).toMatch(
      /Vilogia n'a pas de convention ouvrant un contingent « Département »/,
    );
  });

  it("refuses an unknown commune, a lease in the future, an unknown bailleur or another bailleur's row", () => {
    expect(errorsOf(lease({ communeInsee: "59000" }))).toEqual([
      { field: "communeInsee", message: expect.stringMatching(/Commune 59000 inconnue.*pas le code postal/) },
    ]);
    expect(errorsOf(lease({ leaseDate: "2025-07-01" }))).toEqual([
      { field: "leaseDate", message: expect.stringMatching(/Date du bail dans le futur \(01\/07\/2025\)/) },
    ]);
    expect(errorsOf(lease({ leaseDate: "2025-06-30" }))).toEqual([]);
    expect(errorsOf(lease({ bailleurSlug: "inconnu" }))[0]?.message).toMatch(/Bailleur « inconnu » inconnu/);
    expect(errorsOf(lease({ bailleurSlug: "partenord-habitat", contingent: "etat" }))[0]?.message).toMatch(
      /Vous enregistrez les attributions de votre organisation seulement/,
    );
  });
});

describe("countsOnRights: what is outside the flux never consumes rights (004 art. 5, l. 242; Annex 1 D–G)", () => {
  it("counts inter-bailleur transfers, not internal ones nor NPRU, ORCOD, LHI or sale rehousings, nor `none`", () => {
    const base = { contingent: "mel", publicCategory: "autre", transfer: "none", rehousing: "none" } as const;
    expect(countsOnRights(base)).toBe(true);
    expect(countsOnRights({ ...base, transfer: "inter_bailleur" })).toBe(true);
    expect(countsOnRights({ ...base, transfer: "internal" })).toBe(false);
    expect(countsOnRights({ ...base, publicCategory: "npru" })).toBe(false);
    for (const rehousing of ["npru", "orcod", "lhi", "sale"] as const)
      expect(countsOnRights({ ...base, rehousing })).toBe(false);
    expect(countsOnRights({ ...base, contingent: "none" })).toBe(false);
  });

  it("records an attribution outside the flux without a contingent, so that no report files it under one", () => {
    for (const over of [
      { publicCategory: "npru" },
      { transfer: "internal" as const },
      { rehousing: "orcod" as const },
      { rehousing: "sale" as const },
    ])
      expect(resolveAttribution(lease({ contingent: "etat", ...over }), context)).toEqual({
        ok: true,
        value: { bailleurId: "b-vilogia", contingent: "none", reservataireId: null, countsOnRights: false },
      });
  });

  it("refuses an MBC household without a transfer, in French", () => {
    expect(errorsOf(lease({ publicCategory: "mbc_labellise" }))).toEqual([
      {
        field: "transfer",
        message: expect.stringMatching(/^Une mutation bloquée ou complexe \(MBC\) est une mutation/),
      },
    ]);
    expect(errorsOf(lease({ publicCategory: "mbc_labellise", transfer: "inter_bailleur" }))).toEqual([]);
  });

  it("records ALS and SICF eligibility on their contingents only", () => {
    expect(errorsOf(lease({ contingent: "action_logement", eligibility: "peec_employee" }))).toEqual([]);
    expect(errorsOf(lease({ contingent: "action_logement", eligibility: "sncf_agent" }))[0]?.field).toBe(
      "eligibility",
    );
    expect(errorsOf(lease({ contingent: "mel", eligibility: "peec_employee" }))[0]?.message).toMatch(
      /ne se renseigne que sur les contingents d'Action Logement et de la SICF/,
    );
  });
});

describe("the row's shape (form, file and API share it)", () => {
  const row = {
    numeroUnique: "059 2401 00123 A",
    leaseDate: "15/01/2025",
    bailleurSlug: "vilogia",
    communeInsee: "59350",
    qpv: "oui",
    typology: "T6 et plus",
    financing: "PLAI",
    pmr: "non",
    firstLetting: false,
    constructionPeriod: "1975 à 1989",
    publicCategory: "DALO labellisé",
    transfer: "inter_bailleur",
    incomeQuartile: "Q2",
    refusalsAfterCaleol: "",
    contingent: "Action Logement — rétrocession",
  };

  it("reads codes or French labels, oui/non, French or ISO dates, and fills the optional counts", () => {
    expect(attributionSchema.parse(row)).toEqual({
      numeroUnique: "059240100123A",
      leaseDate: "2025-01-15",
      bailleurSlug: "vilogia",
      communeInsee: "59350",
      qpv: true,
      qpvCode: null,
      typology: "T6",
      financing: "plai",
      pmr: false,
      firstLetting: false,
      constructionPeriod: "1975_1989",
      publicCategory: "dalo_labellise",
      transfer: "inter_bailleur",
      incomeQuartile: 2,
      refusalsAfterCaleol: 0,
      contingent: "action_logement_retrocession",
      rehousing: "none",
      eligibility: null,
    });
    expect(attributionSchema.parse({ ...row, qpvCode: " qn05901x " }).qpvCode).toBe("QN05901X");
    expect(attributionSchema.parse({ ...row, rehousing: "Relogement ORCOD (colonne E)" }).rehousing).toBe(
      "orcod",
    );
    expect(attributionSchema.parse({ ...row, leaseDate: new Date("2025-02-03T00:00:00Z") }).leaseDate).toBe(
      "2025-02-03",
    );
  });

  it("names each wrong field in French", () => {
    const result = attributionSchema.safeParse({
      ...row,
      leaseDate: "31/02/2025",
      communeInsee: "Lille",
      qpv: "peut-être",
      contingent: "préfecture",
      incomeQuartile: "5",
    });
    expect(result.success).toBe(false);
    const byField = Object.fromEntries(result.error!.issues.map((i) => [i.path[0], i.message]));
    expect(byField).toEqual({
      leaseDate: expect.stringMatching(/Date du bail invalide/),
      communeInsee: expect.stringMatching(/Code INSEE de la commune invalide/),
      qpv: "Logement en QPV : indiquez oui ou non.",
      contingent: expect.stringMatching(/^Contingent inconnu : etat, etat_agents, mel/),
      incomeQuartile: expect.stringMatching(/Quartile de ressources : 1, 2, 3 ou 4/),
    });
  });
});
