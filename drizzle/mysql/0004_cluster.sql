CREATE TABLE `server_process` (
	`id` varchar(36) NOT NULL,
	`host` varchar(255) NOT NULL,
	`pid` int NOT NULL,
	`started_at` bigint NOT NULL,
	`heartbeat_at` bigint NOT NULL,
	`stopping` boolean NOT NULL DEFAULT false,
	CONSTRAINT `server_process_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `jobs` ADD `claimed_by` varchar(36);--> statement-breakpoint
ALTER TABLE `jobs` ADD `cancel_requested` text;--> statement-breakpoint
CREATE INDEX `jobs_claimed_by_status` ON `jobs` (`claimed_by`,`status`);