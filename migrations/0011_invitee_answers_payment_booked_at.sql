ALTER TABLE `invitees` ADD `answers` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `invitees` ADD `tracking` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `invitees` ADD `payment` text;--> statement-breakpoint
ALTER TABLE `invitees` ADD `reschedule_url` text;--> statement-breakpoint
-- Hand-edited: SQLite needs a default to add a NOT NULL column. Existing rows take the time Kairos
-- first saw them; a webhook or sync that re-reads the event writes Calendly's created_at (sessions
-- outside every later sync window keep the approximation — see docs/deployment.md).
ALTER TABLE `sessions` ADD `booked_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `sessions` SET `booked_at` = `created_at`;--> statement-breakpoint
CREATE INDEX `sessions_coach_booked_at` ON `sessions` (`coach_id`,`booked_at`);--> statement-breakpoint
ALTER TABLE `sandbox_calendly_invitees` ADD `answers` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sandbox_calendly_invitees` ADD `tracking` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `sandbox_calendly_invitees` ADD `payment` text;