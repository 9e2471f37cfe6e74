import { attributionWrite } from "./day";
import type { Operation } from "./mix";
import { reportsSuite } from "./reports";
import type { BenchContext, BenchSuite } from "./suites";

/**
 * The report pages under write churn (issue 15): /consommation and /indicateurs read by the MEL and by a commune
 * (Lille) on the reports suite's 2 000 000 attributions, 20 pages/s in all, while a bailleur records one attribution
 * a second over the API — each write invalidates the cached reports of its year, as in real use. The pages read that
 * year (the reports of the years before it stay cached: decision 0006), each by the four demo users of its
 * organisation in turn and, for the indicators, with and without the QPV filter.
 */
const ROLES = ["admin", "signataire", "gestionnaire", "lecteur"];
/** The year of the attributions written (`attributionWrite`: leases of yesterday). */
const year = () => new Date(Date.now() - 86_400_000).getUTCFullYear();
const QPV = ["", "&qpv=oui", "&qpv=non"];

async function setUp(context: BenchContext): Promise<Operation[]> {
  const sessionsOf = (slug: string) =>
    Promise.all(ROLES.map((role) => context.logIn(`${role}@${slug}.demo.test`)));
  const [mel, lille, writers] = await Promise.all([
    sessionsOf("mel"),
    sessionsOf("commune-59350"),
    Promise.all(["gestionnaire", "signataire"].map((role) => context.logIn(`${role}@vilogia.demo.test`))),
  ]);
  const page = (name: string, sessions: typeof mel, path: (i: number) => string): Operation => {
    let i = 0;
    return {
      name,
      kind: "pages des rapports",
      rate: 5,
      next: () => {
        const n = i++;
        return { path: path(Math.floor(n / sessions.length)), session: sessions[n % sessions.length]! };
      },
    };
  };
  let n = 0;
  return [
    page("Consommation — MEL", mel, () => `/consommation?year=${year()}`),
    page("Consommation — commune (Lille)", lille, () => `/consommation?year=${year()}`),
    page("Indicateurs — MEL", mel, (i) => `/indicateurs?year=${year()}${QPV[i % 3]}`),
    page("Indicateurs — commune (Lille)", lille, (i) => `/indicateurs?year=${year()}${QPV[i % 3]}`),
    {
      name: "Écriture — attribution (Vilogia, API)",
      kind: "écritures",
      rate: 1,
      background: true,
      next: () => attributionWrite(writers[n % 2]!, "vilogia", 50_000_000 + n++),
    },
  ];
}

export const churnSuite: BenchSuite = {
  name: "Pages des rapports sous écritures (churn)",
  requires: [reportsSuite],
  mixes: [
    {
      name: "Rapports sous écritures",
      setUp,
      targets: [
        { label: "les pages des rapports (MEL et Lille)", kind: "pages des rapports", p95ServerMs: 100 },
      ],
    },
  ],
};
