ALTER TABLE `sync_runs` ADD `progress_at` integer;--> statement-breakpoint
-- Hand-added: a race could leave two running runs for one coach; keep the newest, fail the rest, or
-- the unique index below cannot be built.
UPDATE `sync_runs` SET `status` = 'failed', `error` = 'superseded by a newer run', `finished_at` = `started_at`
WHERE `status` = 'running' AND EXISTS (
  SELECT 1 FROM `sync_runs` AS newer
  WHERE newer.`coach_id` = `sync_runs`.`coach_id` AND newer.`status` = 'running'
    AND (newer.`started_at` > `sync_runs`.`started_at` OR (newer.`started_at` = `sync_runs`.`started_at` AND newer.`id` > `sync_runs`.`id`))
);--> statement-breakpoint
CREATE UNIQUE INDEX `sync_runs_one_running` ON `sync_runs` (`coach_id`) WHERE status = 'running';
