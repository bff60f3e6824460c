CREATE TABLE `sandbox_calendly_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`subscription_id` text NOT NULL,
	`event` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status` integer,
	`next_attempt_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_calendly_deliveries_due` ON `sandbox_calendly_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `sandbox_calendly_event_types` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`duration` integer NOT NULL,
	`kind` text NOT NULL,
	`invitee_limit` integer DEFAULT 1 NOT NULL,
	`position` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`color` text NOT NULL,
	`description` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_calendly_events` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`event_type_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`start_time` integer NOT NULL,
	`end_time` integer NOT NULL,
	`cancellation` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_calendly_events_user_start` ON `sandbox_calendly_events` (`user_id`,`start_time`);--> statement-breakpoint
CREATE TABLE `sandbox_calendly_invitees` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`timezone` text NOT NULL,
	`status` text NOT NULL,
	`rescheduled` integer DEFAULT false NOT NULL,
	`old_invitee_uri` text,
	`new_invitee_uri` text,
	`no_show_id` text,
	`no_show_at` text,
	`cancellation` text,
	`scheduling_method` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_calendly_invitees_event` ON `sandbox_calendly_invitees` (`event_id`);--> statement-breakpoint
CREATE TABLE `sandbox_calendly_kv` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_calendly_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`callback_url` text NOT NULL,
	`events` text NOT NULL,
	`state` text NOT NULL,
	`signing_key` text,
	`retry_started_at` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sandbox_calendly_subscriptions_callback_url_unique` ON `sandbox_calendly_subscriptions` (`callback_url`);--> statement-breakpoint
CREATE TABLE `sandbox_calendly_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer,
	`revoked` integer DEFAULT false NOT NULL,
	`meta` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_calendly_users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`timezone` text NOT NULL,
	`org_id` text NOT NULL,
	`schedule_id` text NOT NULL,
	`rules` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sandbox_calendly_users_email_unique` ON `sandbox_calendly_users` (`email`);