ALTER TABLE "attributions" ADD COLUMN "rehousing" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "attributions" ADD COLUMN "eligibility" text;--> statement-breakpoint
ALTER TABLE "attributions" ADD COLUMN "duplicate" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "comite_documents" ADD COLUMN "audience" text DEFAULT 'members' NOT NULL;--> statement-breakpoint
ALTER TABLE "comites" ADD COLUMN "held_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "attributions_numero_lease" ON "attributions" USING btree ("numero_unique","lease_date");--> statement-breakpoint
-- THE classification of publics (app/domain/publics.ts publicClassOf; 004 l. 451-454): the same rule for every
-- report that aggregates in SQL. tests/domain/publics.test.ts checks it against publicClassOf on every input.
CREATE FUNCTION attribution_public_class(category text, rehousing text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN rehousing = 'npru' OR category = 'npru' THEN 'npru'
    WHEN category IN ('dalo_labellise', 'pdalhpd_labellise') THEN 'dalo_pdalhpd'
    WHEN category = 'mbc_labellise' THEN 'mbc'
    WHEN category = 'cible_cia_declaree' THEN 'cia_sne'
    ELSE 'autres'
  END
$$;
--> statement-breakpoint
-- The rollups (0012) now read the classification: priority = DALO-PDALHPD, CIA targets = every class but « autres »,
-- MBC = MBC. What counts is still counts_on_rights (false outside the flux: NPRU, internal transfers, ORCOD, LHI,
-- sale rehousings; and for the later of two bailleurs' records of one household on one lease date).
CREATE OR REPLACE FUNCTION attribution_rollups_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  source text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT n.*, 1 AS w FROM new_rows n'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS w FROM old_rows o'
    ELSE 'SELECT n.*, 1 AS w FROM new_rows n UNION ALL SELECT o.*, -1 AS w FROM old_rows o'
  END;
BEGIN
  EXECUTE format($sql$
    INSERT INTO consumption_rollups AS r
      (year, reservataire_id, bailleur_id, counted, priority, cia_targets, mbc, state_agents)
    SELECT extract(year FROM lease_date)::int, reservataire_id, bailleur_id,
      sum(w),
      coalesce(sum(w) FILTER (WHERE attribution_public_class(public_category, rehousing) = 'dalo_pdalhpd'), 0),
      coalesce(sum(w) FILTER (WHERE attribution_public_class(public_category, rehousing) <> 'autres'), 0),
      coalesce(sum(w) FILTER (WHERE attribution_public_class(public_category, rehousing) = 'mbc'), 0),
      coalesce(sum(w) FILTER (WHERE contingent = 'etat_agents'), 0)
    FROM (%s) a
    WHERE counts_on_rights AND reservataire_id IS NOT NULL
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT consumption_rollups_key DO UPDATE SET
      counted = r.counted + excluded.counted,
      priority = r.priority + excluded.priority,
      cia_targets = r.cia_targets + excluded.cia_targets,
      mbc = r.mbc + excluded.mbc,
      state_agents = r.state_agents + excluded.state_agents
  $sql$, source);
  EXECUTE format($sql$
    INSERT INTO indicator_rollups AS r
      (year, bailleur_id, reservataire_id, contingent, commune_insee, qpv, cia_target,
       total, t4plus, plai, pmr, first_letting, refusals)
    SELECT extract(year FROM lease_date)::int, bailleur_id, reservataire_id, contingent, commune_insee, qpv,
      attribution_public_class(public_category, rehousing) <> 'autres',
      sum(w),
      coalesce(sum(w) FILTER (WHERE typology IN ('T4', 'T5', 'T6')), 0),
      coalesce(sum(w) FILTER (WHERE financing = 'plai'), 0),
      coalesce(sum(w) FILTER (WHERE pmr), 0),
      coalesce(sum(w) FILTER (WHERE first_letting), 0),
      coalesce(sum(w * refusals_after_caleol), 0)
    FROM (%s) a
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ON CONSTRAINT indicator_rollups_key DO UPDATE SET
      total = r.total + excluded.total,
      t4plus = r.t4plus + excluded.t4plus,
      plai = r.plai + excluded.plai,
      pmr = r.pmr + excluded.pmr,
      first_letting = r.first_letting + excluded.first_letting,
      refusals = r.refusals + excluded.refusals
  $sql$, source);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Attributions outside the flux are on no contingent (issue 15): the art. 11 figures showed them under one.
UPDATE attributions SET contingent = 'none', reservataire_id = NULL
WHERE contingent <> 'none' AND (public_category = 'npru' OR transfer = 'internal' OR rehousing <> 'none');
--> statement-breakpoint
-- One household leased on one date by two bailleurs: both flagged, the first recorded alone counts until resolved.
UPDATE attributions a SET duplicate = true,
  counts_on_rights = a.counts_on_rights AND NOT EXISTS (
    SELECT 1 FROM attributions b WHERE b.numero_unique = a.numero_unique AND b.lease_date = a.lease_date
      AND b.bailleur_id <> a.bailleur_id AND (b.created_at, b.id) < (a.created_at, a.id))
WHERE EXISTS (
  SELECT 1 FROM attributions b WHERE b.numero_unique = a.numero_unique AND b.lease_date = a.lease_date
    AND b.bailleur_id <> a.bailleur_id);
