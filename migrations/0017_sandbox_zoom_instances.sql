CREATE TABLE `sandbox_zoom_instances` (
	`uuid` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`participants` text NOT NULL,
	`report_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_zoom_instances_meeting` ON `sandbox_zoom_instances` (`meeting_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `sandbox_zoom_meetings` ADD `settings` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `sandbox_zoom_meetings` DROP COLUMN `participants`;