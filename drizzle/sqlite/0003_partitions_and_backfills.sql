CREATE TABLE `backfill_partitions` (
	`backfill_id` text NOT NULL,
	`partition_day` text NOT NULL,
	`job_id` text,
	`state` text NOT NULL,
	PRIMARY KEY(`backfill_id`, `partition_day`)
);
--> statement-breakpoint
CREATE TABLE `backfills` (
	`id` text PRIMARY KEY NOT NULL,
	`schedule_name` text NOT NULL,
	`from_day` text NOT NULL,
	`to_day` text NOT NULL,
	`force` integer NOT NULL,
	`max_concurrent` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`error` text
);
--> statement-breakpoint
ALTER TABLE `jobs` ADD `partition_day` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `partition_claim` text;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_partition_claim` ON `jobs` (`partition_claim`);--> statement-breakpoint
CREATE INDEX `jobs_origin_partition` ON `jobs` (`origin_name`,`partition_day`);--> statement-breakpoint
ALTER TABLE `schedule_runs` ADD `partition_day` text;--> statement-breakpoint
ALTER TABLE `schedule_runs` ADD `reason` text;