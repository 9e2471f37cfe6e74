-- Issue 18, decision 0024: enum values are English unless they are words of the trade. The management modes and the
-- delivery campaign months were French; the rows already written move to the new values.
UPDATE conventions SET management = CASE management WHEN 'directe' THEN 'direct' WHEN 'deleguee' THEN 'delegated' END
  WHERE management IN ('directe', 'deleguee');
--> statement-breakpoint
UPDATE delivery_update_requests SET campaign = regexp_replace(regexp_replace(campaign, '-mai$', '-may'), '-novembre$', '-november')
  WHERE campaign ~ '-(mai|novembre)$';
--> statement-breakpoint
-- The reminders already sent are keyed by the campaign (calendar.server.ts): moved too, so none is sent twice.
UPDATE obligation_reminders
  SET obligation_key = regexp_replace(regexp_replace(obligation_key, '-mai$', '-may'), '-novembre$', '-november')
  WHERE obligation_key LIKE 'deliveries%' AND obligation_key ~ '-(mai|novembre)$';
