import type { BenchSuite } from "./suites";

/**
 * Programmes and the calendar (issue 6). Synthetic data well above the MEL's scale (a few hundred programmes a
 * year): 3 000 programmes over 3 years, spread over every bailleur and commune, with 3 kinds of flats each.
 * Issue 17's four slow reads: each held at p95 ≤ 100 ms of server time at 20 requests/s.
 */
const ISSUE_17_TARGET = { rate: 20, targetOn: "server", p95TargetMs: 100 } as const;
export const programmesSuite: BenchSuite = {
  name: "Programmes neufs et calendrier",
  prepare: async (sql) => {
    await sql`
      insert into programmes (bailleur_id, commune_insee, name, address, first_letting_date, status, declared_at,
        late_declaration, proposed_split)
      select b.id, c.insee_code, 'Programme ' || g, g || ' rue du Banc d''essai',
        date '2026-01-01' + (g % 1095), 'declared', now(), g % 7 = 0, '[]'::jsonb
      from generate_series(1, 3000) g
      cross join lateral (select id from organisations where kind = 'bailleur' order by slug offset (g % 19) limit 1) b
      cross join lateral (select insee_code from organisations where kind = 'commune' order by slug offset (g % 95) limit 1) c`;
    await sql`
      insert into programme_flats (programme_id, typology, financing, pmr, count)
      select p.id, t.typology, t.financing, t.pmr, 1 + abs(hashtext(p.id::text)) % 12
      from programmes p
      cross join (values ('T2', 'plus', false), ('T4', 'plai', false), ('T3', 'pls', true)) t(typology, financing, pmr)`;
  },
  benchmarks: [
    {
      name: "API — livraisons consolidées du semestre (MEL)",
      path: "/api/v1/programmes/deliveries?year=2027&half=1",
      ...ISSUE_17_TARGET,
    },
    {
      name: "API — programmes visibles d'un réservataire (État)",
      path: "/api/v1/programmes",
      as: "gestionnaire@etat.demo.test",
      ...ISSUE_17_TARGET,
    },
    {
      name: "API — calendrier des obligations (bailleur)",
      path: "/api/v1/calendar",
      as: "gestionnaire@vilogia.demo.test",
      ...ISSUE_17_TARGET,
    },
    {
      name: "Page d'accueil avec obligations en retard (bailleur)",
      path: "/accueil",
      as: "gestionnaire@vilogia.demo.test",
      ...ISSUE_17_TARGET,
    },
  ],
};
