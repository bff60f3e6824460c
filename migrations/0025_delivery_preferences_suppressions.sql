CREATE TABLE `email_suppressions` (
	`email` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`detail` text,
	`coach_id` text,
	`provider_message_id` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notification_preferences` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`email` text NOT NULL,
	`reminders` integer DEFAULT true NOT NULL,
	`follow_ups` integer DEFAULT true NOT NULL,
	`sms_reminders` integer DEFAULT false NOT NULL,
	`phone` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_preferences_coach_email` ON `notification_preferences` (`coach_id`,`email`);--> statement-breakpoint
CREATE INDEX `notification_outbox_provider_message` ON `notification_outbox` (`provider_message_id`);
