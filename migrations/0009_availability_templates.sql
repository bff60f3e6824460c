CREATE TABLE `availability_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`coach_id` text NOT NULL,
	`name` text NOT NULL,
	`blocks` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`coach_id`) REFERENCES `coaches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `availability_templates_coach_name` ON `availability_templates` (`coach_id`,`name`);