ALTER TABLE `coaches` ADD `calendly_slug` text;--> statement-breakpoint
UPDATE `coaches` SET `calendly_slug` = `slug`;--> statement-breakpoint
-- Existing duplicates: the coach who had the slug first keeps it, the others get "-<id>" (unique).
UPDATE `coaches` SET `slug` = `slug` || '-' || substr(`id`, 5) WHERE EXISTS (SELECT 1 FROM `coaches` AS `older` WHERE `older`.`slug` = `coaches`.`slug` AND (`older`.`created_at` < `coaches`.`created_at` OR (`older`.`created_at` = `coaches`.`created_at` AND `older`.`id` < `coaches`.`id`)));--> statement-breakpoint
CREATE UNIQUE INDEX `coaches_slug` ON `coaches` (`slug`);
