CREATE TABLE `backfill_partitions` (
	`backfill_id` varchar(26) NOT NULL,
	`partition_day` varchar(10) NOT NULL,
	`job_id` varchar(26),
	`state` varchar(16) NOT NULL,
	CONSTRAINT `backfill_partitions_backfill_id_partition_day_pk` PRIMARY KEY(`backfill_id`,`partition_day`)
);
--> statement-breakpoint
CREATE TABLE `backfills` (
	`id` varchar(26) NOT NULL,
	`schedule_name` varchar(200) NOT NULL,
	`from_day` varchar(10) NOT NULL,
	`to_day` varchar(10) NOT NULL,
	`force` boolean NOT NULL,
	`max_concurrent` int NOT NULL,
	`status` varchar(16) NOT NULL,
	`created_at` bigint NOT NULL,
	`finished_at` bigint,
	`error` text,
	CONSTRAINT `backfills_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `jobs` ADD `partition_day` varchar(10);--> statement-breakpoint
ALTER TABLE `jobs` ADD `partition_claim` varchar(220);--> statement-breakpoint
ALTER TABLE `schedule_runs` ADD `partition_day` varchar(10);--> statement-breakpoint
ALTER TABLE `schedule_runs` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD CONSTRAINT `jobs_partition_claim` UNIQUE(`partition_claim`);--> statement-breakpoint
CREATE INDEX `jobs_origin_partition` ON `jobs` (`origin_name`,`partition_day`);