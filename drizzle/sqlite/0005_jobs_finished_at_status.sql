DROP INDEX `jobs_finished_at`;--> statement-breakpoint
CREATE INDEX `jobs_finished_at_status` ON `jobs` (`finished_at`,`status`);