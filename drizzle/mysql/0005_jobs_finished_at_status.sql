DROP INDEX `jobs_finished_at` ON `jobs`;--> statement-breakpoint
CREATE INDEX `jobs_finished_at_status` ON `jobs` (`finished_at`,`status`);