CREATE TABLE `dev_mailbox` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text,
	`message` text NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dev_mailbox_sent` ON `dev_mailbox` (`sent_at`);--> statement-breakpoint
CREATE TABLE `notification_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`chain_id` text,
	`session_id` text,
	`invitee_id` text,
	`kind` text NOT NULL,
	`recipient` text NOT NULL,
	`channel` text DEFAULT 'email' NOT NULL,
	`idempotency_key` text NOT NULL,
	`due_at` integer NOT NULL,
	`planned_start_at` integer,
	`offset_minutes` integer,
	`previous_start_at` integer,
	`status` text DEFAULT 'planned' NOT NULL,
	`skip_reason` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`claimed_at` integer,
	`transport` text,
	`provider_message_id` text,
	`sent_at` integer,
	`last_error` text,
	`message` text,
	`resend_of` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_outbox_idempotency_key_unique` ON `notification_outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `notification_outbox_planned` ON `notification_outbox` (`due_at`) WHERE status = 'planned';--> statement-breakpoint
CREATE INDEX `notification_outbox_claimed` ON `notification_outbox` (`claimed_at`) WHERE status = 'claimed';--> statement-breakpoint
CREATE INDEX `notification_outbox_coach_session` ON `notification_outbox` (`coach_id`,`session_id`);--> statement-breakpoint
CREATE INDEX `notification_outbox_coach_chain` ON `notification_outbox` (`coach_id`,`chain_id`);--> statement-breakpoint
CREATE INDEX `notification_outbox_coach_recipient` ON `notification_outbox` (`coach_id`,`recipient`);--> statement-breakpoint
CREATE TABLE `notification_settings` (
	`coach_id` text PRIMARY KEY NOT NULL,
	`reminder_offsets_minutes` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
