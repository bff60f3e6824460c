ALTER TABLE `webhook_events` ADD `swept_at` integer;--> statement-breakpoint
CREATE INDEX `webhook_events_status_received` ON `webhook_events` (`status`,`received_at`);