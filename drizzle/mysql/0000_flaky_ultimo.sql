CREATE TABLE `job_log_lines` (
	`job_id` varchar(26) NOT NULL,
	`seq` int NOT NULL,
	`time` bigint NOT NULL,
	`level` varchar(8) NOT NULL,
	`step` varchar(200),
	`message` mediumtext NOT NULL,
	CONSTRAINT `job_log_lines_job_id_seq_pk` PRIMARY KEY(`job_id`,`seq`)
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` varchar(26) NOT NULL,
	`status` varchar(16) NOT NULL,
	`origin_type` varchar(16) NOT NULL,
	`origin_name` varchar(200),
	`spec` mediumtext NOT NULL,
	`steps` mediumtext NOT NULL,
	`error` text,
	`retry_of` varchar(26),
	`timeout_ms` int,
	`submitted_at` bigint NOT NULL,
	`started_at` bigint,
	`finished_at` bigint,
	`log_count` int NOT NULL DEFAULT 0,
	CONSTRAINT `jobs_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `schedule_runs` (
	`schedule_name` varchar(200) NOT NULL,
	`fire_time` bigint NOT NULL,
	`job_id` varchar(26),
	`outcome` varchar(16) NOT NULL,
	`recorded_at` bigint NOT NULL,
	CONSTRAINT `schedule_runs_schedule_name_fire_time_pk` PRIMARY KEY(`schedule_name`,`fire_time`)
);
--> statement-breakpoint
CREATE TABLE `schedule_state` (
	`schedule_name` varchar(200) NOT NULL,
	`paused` boolean NOT NULL,
	`updated_at` bigint NOT NULL,
	CONSTRAINT `schedule_state_schedule_name` PRIMARY KEY(`schedule_name`)
);
--> statement-breakpoint
CREATE TABLE `trade_day` (
	`calendar_date` date NOT NULL,
	`is_trading_day` boolean NOT NULL,
	`source` varchar(32) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `trade_day_calendar_date` PRIMARY KEY(`calendar_date`)
);
--> statement-breakpoint
CREATE INDEX `jobs_status_id` ON `jobs` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_finished_at` ON `jobs` (`finished_at`);