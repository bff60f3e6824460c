CREATE TABLE `domain_events` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`type` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`session_id` text,
	`payload` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `domain_events_dedupe_key_unique` ON `domain_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `domain_events_coach_created` ON `domain_events` (`coach_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `invitees` ADD `canceled_by` text;--> statement-breakpoint
ALTER TABLE `invitees` ADD `cancel_reason` text;--> statement-breakpoint
ALTER TABLE `invitees` ADD `canceler_type` text;--> statement-breakpoint
ALTER TABLE `invitees` ADD `calendly_updated_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `calendly_updated_at` integer;