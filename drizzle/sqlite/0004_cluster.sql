CREATE TABLE `server_process` (
	`id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`started_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`stopping` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE `jobs` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `cancel_requested` text;--> statement-breakpoint
CREATE INDEX `jobs_claimed_by_status` ON `jobs` (`claimed_by`,`status`);