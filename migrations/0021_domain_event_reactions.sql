ALTER TABLE `domain_events` ADD `reactions_claimed_at` integer;--> statement-breakpoint
ALTER TABLE `domain_events` ADD `reactions_sent_at` integer;--> statement-breakpoint
CREATE INDEX `domain_events_unsent` ON `domain_events` (`coach_id`,`created_at`) WHERE reactions_sent_at is null;--> statement-breakpoint
-- Events recorded before reactions existed have nothing to hand over.
UPDATE `domain_events` SET `reactions_sent_at` = `created_at`;
