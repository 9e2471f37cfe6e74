-- signalement_bailleurs.status copies its signalement's status (the model keeps it in step): fill it for the rows
-- that existed before the column.
UPDATE "signalement_bailleurs" sb SET "status" = s."status" FROM "signalements" s
  WHERE s."id" = sb."signalement_id" AND sb."status" <> s."status";
