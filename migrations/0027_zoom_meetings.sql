CREATE TABLE `event_type_conferencing` (
	`event_type_id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`provider` text NOT NULL,
	`waiting_room` integer DEFAULT true NOT NULL,
	`join_before_host` integer DEFAULT false NOT NULL,
	`passcode_mode` text DEFAULT 'generate' NOT NULL,
	`passcode` text,
	`zoom_since` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`event_type_id`) REFERENCES `event_types`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `event_type_conferencing_coach` ON `event_type_conferencing` (`coach_id`);--> statement-breakpoint
CREATE TABLE `zoom_meetings` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`meeting_key` text NOT NULL,
	`chain_id` text,
	`session_id` text NOT NULL,
	`zoom_meeting_id` text,
	`zoom_uuid` text,
	`join_url` text,
	`passcode` text,
	`status` text NOT NULL,
	`starts_at` integer,
	`duration_minutes` integer,
	`topic` text,
	`create_started_at` integer,
	`error` text,
	`retry_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `zoom_meetings_coach_key` ON `zoom_meetings` (`coach_id`,`meeting_key`);--> statement-breakpoint
CREATE INDEX `zoom_meetings_coach_session` ON `zoom_meetings` (`coach_id`,`session_id`);--> statement-breakpoint
CREATE INDEX `zoom_meetings_coach_zoom_id` ON `zoom_meetings` (`coach_id`,`zoom_meeting_id`);
