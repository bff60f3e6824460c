ALTER TABLE `event_types` ADD `before_buffer` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `event_types` ADD `after_buffer` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sandbox_calendly_event_types` ADD `before_buffer` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sandbox_calendly_event_types` ADD `after_buffer` integer DEFAULT 0 NOT NULL;