-- A CRIB session's day becomes a date (issue 14, decision 0018). Every stored text is checked first: one that is not
-- a day that exists (2026-02-30, 11/06/2026) stops the migration, which changes nothing, and names each session to
-- correct, with the statement that corrects it. Nothing is guessed nor dropped.
DO $$
DECLARE
  session record;
  invalid text := '';
BEGIN
  FOR session IN SELECT id, held_on FROM crib_sessions ORDER BY held_on LOOP
    BEGIN
      IF session.held_on !~ '^\d{4}-\d{2}-\d{2}$' OR to_char(session.held_on::date, 'YYYY-MM-DD') <> session.held_on THEN
        RAISE data_exception;
      END IF;
    EXCEPTION WHEN data_exception THEN
      invalid := invalid || format(E'\n  - session %s : « %s »', session.id, session.held_on);
    END;
  END LOOP;
  IF invalid <> '' THEN
    RAISE EXCEPTION USING
      MESSAGE = 'Sessions CRIB dont la date n''existe pas au calendrier :' || invalid,
      HINT = 'Corrigez chacune (UPDATE crib_sessions SET held_on = ''AAAA-MM-JJ'' WHERE id = ''…'';), puis relancez la migration.';
  END IF;
END $$;
--> statement-breakpoint
ALTER TABLE "crib_sessions" ALTER COLUMN "held_on" SET DATA TYPE date USING "held_on"::date;
