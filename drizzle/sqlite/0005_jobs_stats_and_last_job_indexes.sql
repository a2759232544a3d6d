DROP INDEX `jobs_finished_at`;--> statement-breakpoint
CREATE INDEX `jobs_finished_at_status` ON `jobs` (`finished_at`,`status`);--> statement-breakpoint
CREATE INDEX `jobs_origin_id` ON `jobs` (`origin_name`,`id`);