-- Report rollups (issue 5): statement-level triggers keep consumption_rollups and indicator_rollups in step with
-- attributions, in the same transaction as the change (an import of 100 000 rows aggregates once per statement).
-- THE counting rule of consumption (app/domain/consumption.ts COUNTING_RULE; 004 l. 240, DESIGN §3) is applied
-- here: only rows flagged counts_on_rights (not NPRU, not internal transfers), each on its one contingent's
-- réservataire. Priority publics: labelled DALO-PDALHPD; CIA targets: DALO, PDALHPD, MBC labelled, NPRU, declared
-- in the SNE (004 l. 217-220, 360). Rows are locked in key order (ORDER BY) so that concurrent imports do not
-- deadlock. No backfill: the attributions table ships in the same release (0006) and is empty when this runs.
CREATE FUNCTION attribution_rollups_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
      coalesce(sum(w) FILTER (WHERE public_category IN ('dalo_labellise', 'pdalhpd_labellise')), 0),
      coalesce(sum(w) FILTER (WHERE public_category IN
        ('dalo_labellise', 'pdalhpd_labellise', 'mbc_labellise', 'npru', 'cible_cia_declaree')), 0),
      coalesce(sum(w) FILTER (WHERE public_category = 'mbc_labellise'), 0),
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
      public_category IN ('dalo_labellise', 'pdalhpd_labellise', 'mbc_labellise', 'npru', 'cible_cia_declaree'),
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
CREATE TRIGGER attribution_rollups_insert AFTER INSERT ON attributions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_rollups_change();
--> statement-breakpoint
CREATE TRIGGER attribution_rollups_update AFTER UPDATE ON attributions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_rollups_change();
--> statement-breakpoint
CREATE TRIGGER attribution_rollups_delete AFTER DELETE ON attributions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attribution_rollups_change();
