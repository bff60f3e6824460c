ALTER TABLE `sandbox_calendly_event_types` ADD `rules` text;--> statement-breakpoint
ALTER TABLE `sandbox_calendly_event_types` ADD `rules_timezone` text;