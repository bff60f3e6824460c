CREATE TABLE `booking_intents` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`event_type_id` text NOT NULL,
	`slot_key` text NOT NULL,
	`start_time` integer NOT NULL,
	`end_time` integer NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`time_zone` text NOT NULL,
	`answers` text NOT NULL,
	`tracking` text NOT NULL,
	`status` text NOT NULL,
	`series_id` text,
	`invitee_uri` text,
	`event_uri` text,
	`reschedule_url` text,
	`cancel_url` text,
	`error` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `booking_intents_live_slot` ON `booking_intents` (`slot_key`) WHERE status in ('pending', 'booked');--> statement-breakpoint
CREATE INDEX `booking_intents_coach_start` ON `booking_intents` (`coach_id`,`start_time`);--> statement-breakpoint
CREATE INDEX `booking_intents_series` ON `booking_intents` (`series_id`);--> statement-breakpoint
ALTER TABLE `coaches` ADD `embed_origins` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `event_types` ADD `custom_questions` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `event_types` ADD `locations` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `event_types` ADD `min_notice_minutes` integer DEFAULT 240 NOT NULL;--> statement-breakpoint
ALTER TABLE `event_types` ADD `max_days_ahead` integer DEFAULT 60 NOT NULL;