ALTER TABLE `provider_connections` ADD `external_account_id` text;--> statement-breakpoint
ALTER TABLE `provider_connections` ADD `plan_type` text;--> statement-breakpoint
CREATE INDEX `provider_connections_external_user` ON `provider_connections` (`provider`,`external_user_id`);