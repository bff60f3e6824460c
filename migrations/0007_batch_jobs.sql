CREATE TABLE `batch_items` (
	`batch_id` text NOT NULL,
	`session_id` text NOT NULL,
	`status` text NOT NULL,
	`message` text,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batch_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `batch_items_batch_session` ON `batch_items` (`batch_id`,`session_id`);--> statement-breakpoint
CREATE TABLE `batch_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`action` text NOT NULL,
	`reason` text,
	`total` integer NOT NULL,
	`succeeded` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `batch_jobs_coach_created` ON `batch_jobs` (`coach_id`,`created_at`);