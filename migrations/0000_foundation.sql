CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text,
	`detail` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `audit_log_coach_created` ON `audit_log` (`coach_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `coaches` (
	`id` text PRIMARY KEY NOT NULL,
	`calendly_user_uri` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`time_zone` text NOT NULL,
	`slug` text NOT NULL,
	`scheduling_url` text,
	`organization_uri` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coaches_calendly_user_uri_unique` ON `coaches` (`calendly_user_uri`);--> statement-breakpoint
CREATE TABLE `event_types` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`calendly_uri` text NOT NULL,
	`name` text NOT NULL,
	`slug` text,
	`duration_minutes` integer NOT NULL,
	`kind` text NOT NULL,
	`active` integer NOT NULL,
	`secret` integer NOT NULL,
	`color` text,
	`scheduling_url` text NOT NULL,
	`description` text,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `event_types_calendly_uri_unique` ON `event_types` (`calendly_uri`);--> statement-breakpoint
CREATE INDEX `event_types_coach` ON `event_types` (`coach_id`,`position`);--> statement-breakpoint
CREATE TABLE `invitees` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`session_id` text NOT NULL,
	`calendly_uri` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`time_zone` text,
	`status` text NOT NULL,
	`no_show_uri` text,
	`rescheduled` integer DEFAULT false NOT NULL,
	`old_invitee_uri` text,
	`new_invitee_uri` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitees_calendly_uri_unique` ON `invitees` (`calendly_uri`);--> statement-breakpoint
CREATE INDEX `invitees_session` ON `invitees` (`session_id`);--> statement-breakpoint
CREATE INDEX `invitees_coach_email` ON `invitees` (`coach_id`,`email`);--> statement-breakpoint
CREATE TABLE `login_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `login_sessions_coach` ON `login_sessions` (`coach_id`);--> statement-breakpoint
CREATE TABLE `provider_connections` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`provider` text NOT NULL,
	`external_user_id` text NOT NULL,
	`access_token_enc` text,
	`refresh_token_enc` text,
	`access_expires_at` integer,
	`scopes` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`last_refreshed_at` integer,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provider_connections_coach_provider` ON `provider_connections` (`coach_id`,`provider`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`calendly_uri` text NOT NULL,
	`event_type_uri` text,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`location` text,
	`cancel_reason` text,
	`canceled_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_calendly_uri_unique` ON `sessions` (`calendly_uri`);--> statement-breakpoint
CREATE INDEX `sessions_coach_starts_at` ON `sessions` (`coach_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`event` text NOT NULL,
	`coach_id` text,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_events_dedupe_key_unique` ON `webhook_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `webhook_events_coach_received` ON `webhook_events` (`coach_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `webhook_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`provider` text NOT NULL,
	`uri` text NOT NULL,
	`callback_url` text NOT NULL,
	`events` text NOT NULL,
	`state` text NOT NULL,
	`signing_key_enc` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_subscriptions_uri_unique` ON `webhook_subscriptions` (`uri`);--> statement-breakpoint
CREATE INDEX `webhook_subscriptions_coach` ON `webhook_subscriptions` (`coach_id`);