ALTER TABLE "attributions" ADD COLUMN "counted_elsewhere" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "bilans" ADD COLUMN "proposed" integer;--> statement-breakpoint
ALTER TABLE "conventions" ADD COLUMN "flux_volume" integer;--> statement-breakpoint
ALTER TABLE "conventions" ADD COLUMN "initial_rights" integer;
--> statement-breakpoint
-- One household leased on one date by two bailleurs counts once in the art. 11 indicators too (issue 15), as it does
-- in consumption: the later record (counted_elsewhere) leaves the indicator rollup until resolved.
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
    WHERE NOT counted_elsewhere
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
-- Through the trigger above, marking the later records moves them out of indicator_rollups.
UPDATE attributions a SET counted_elsewhere = true
WHERE a.duplicate AND EXISTS (
  SELECT 1 FROM attributions b WHERE b.numero_unique = a.numero_unique AND b.lease_date = a.lease_date
    AND b.bailleur_id <> a.bailleur_id AND (b.created_at, b.id) < (a.created_at, a.id));
