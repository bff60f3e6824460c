ALTER TABLE `invitees` ADD `no_show_changed_at` integer;--> statement-breakpoint
ALTER TABLE `invitees` ADD `chain_id` text;--> statement-breakpoint
CREATE INDEX `invitees_old_invitee` ON `invitees` (`old_invitee_uri`) WHERE old_invitee_uri is not null;--> statement-breakpoint
CREATE INDEX `invitees_new_invitee` ON `invitees` (`new_invitee_uri`) WHERE new_invitee_uri is not null;--> statement-breakpoint
CREATE INDEX `invitees_coach_chain` ON `invitees` (`coach_id`,`chain_id`);--> statement-breakpoint
-- Backfill: every booking's chain is the first booking it was rescheduled from (ADR 0009).
WITH RECURSIVE chain(id, uri, root) AS (
  SELECT i.id, i.calendly_uri, i.id FROM invitees i
  WHERE i.old_invitee_uri IS NULL
     OR NOT EXISTS (SELECT 1 FROM invitees p WHERE p.calendly_uri = i.old_invitee_uri)
  UNION
  SELECT n.id, n.calendly_uri, chain.root FROM invitees n JOIN chain ON n.old_invitee_uri = chain.uri
)
UPDATE invitees SET chain_id = (SELECT root FROM chain WHERE chain.id = invitees.id);
