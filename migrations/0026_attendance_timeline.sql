CREATE TABLE `attendance_reviews` (
	`invitee_id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`session_id` text NOT NULL,
	`state` text NOT NULL,
	`auto_confirm_at` integer,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`invitee_id`) REFERENCES `invitees`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attendance_reviews_session` ON `attendance_reviews` (`coach_id`,`session_id`);--> statement-breakpoint
CREATE INDEX `attendance_reviews_auto_confirm` ON `attendance_reviews` (`auto_confirm_at`) WHERE auto_confirm_at is not null;--> statement-breakpoint
CREATE TABLE `attendance_settings` (
	`coach_id` text PRIMARY KEY NOT NULL,
	`grace_minutes` integer DEFAULT 15 NOT NULL,
	`late_minutes` integer DEFAULT 10 NOT NULL,
	`auto_confirm_hours` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `zoom_attendance_events` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`meeting_id` text NOT NULL,
	`meeting_uuid` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`leave_at` integer,
	`report_status` text,
	`zoom_user_id` text DEFAULT '' NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`email` text DEFAULT '' NOT NULL,
	`registrant_id` text DEFAULT '' NOT NULL,
	`participant_uuid` text DEFAULT '' NOT NULL,
	`dedupe_key` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `zoom_attendance_events_dedupe_key_unique` ON `zoom_attendance_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `zoom_attendance_events_coach_meeting` ON `zoom_attendance_events` (`coach_id`,`meeting_id`);--> statement-breakpoint
CREATE TABLE `zoom_meeting_instances` (
	`uuid` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`meeting_id` text NOT NULL,
	`host_id` text DEFAULT '' NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`report_state` text DEFAULT 'pending' NOT NULL,
	`report_due_at` integer,
	`report_attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `zoom_meeting_instances_coach_meeting` ON `zoom_meeting_instances` (`coach_id`,`meeting_id`);--> statement-breakpoint
CREATE INDEX `zoom_meeting_instances_report_due` ON `zoom_meeting_instances` (`report_due_at`) WHERE report_due_at is not null;
