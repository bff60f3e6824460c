CREATE TABLE `sandbox_zoom_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status` integer,
	`next_attempt_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_zoom_kv` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_zoom_meetings` (
	`id` text PRIMARY KEY NOT NULL,
	`uuid` text NOT NULL,
	`user_id` text NOT NULL,
	`topic` text NOT NULL,
	`start_time` integer NOT NULL,
	`duration` integer NOT NULL,
	`timezone` text NOT NULL,
	`agenda` text DEFAULT '' NOT NULL,
	`password` text NOT NULL,
	`status` text NOT NULL,
	`participants` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_zoom_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer,
	`revoked` integer DEFAULT false NOT NULL,
	`meta` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_zoom_users` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`email` text NOT NULL,
	`display_name` text NOT NULL,
	`timezone` text NOT NULL,
	`type` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sandbox_zoom_users_email_unique` ON `sandbox_zoom_users` (`email`);