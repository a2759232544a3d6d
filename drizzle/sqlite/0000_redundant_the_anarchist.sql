CREATE TABLE `job_log_lines` (
	`job_id` text NOT NULL,
	`seq` integer NOT NULL,
	`time` integer NOT NULL,
	`level` text NOT NULL,
	`step` text,
	`message` text NOT NULL,
	PRIMARY KEY(`job_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`origin_type` text NOT NULL,
	`origin_name` text,
	`spec` text NOT NULL,
	`steps` text NOT NULL,
	`error` text,
	`retry_of` text,
	`timeout_ms` integer,
	`submitted_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`log_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_status_id` ON `jobs` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_finished_at` ON `jobs` (`finished_at`);--> statement-breakpoint
CREATE TABLE `schedule_runs` (
	`schedule_name` text NOT NULL,
	`fire_time` integer NOT NULL,
	`job_id` text,
	`outcome` text NOT NULL,
	`recorded_at` integer NOT NULL,
	PRIMARY KEY(`schedule_name`, `fire_time`)
);
--> statement-breakpoint
CREATE TABLE `schedule_state` (
	`schedule_name` text PRIMARY KEY NOT NULL,
	`paused` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `trade_day` (
	`calendar_date` text PRIMARY KEY NOT NULL,
	`is_trading_day` integer NOT NULL,
	`source` text NOT NULL,
	`updated_at` integer NOT NULL
);
