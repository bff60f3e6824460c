CREATE TABLE `sync_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`cursor` text,
	`pages` integer DEFAULT 0 NOT NULL,
	`records_seen` integer DEFAULT 0 NOT NULL,
	`records_fixed` integer DEFAULT 0 NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_runs_coach_started` ON `sync_runs` (`coach_id`,`started_at`);--> statement-breakpoint
ALTER TABLE `coaches` ADD `sync_interval_minutes` integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE `coaches` ADD `next_sync_at` integer;