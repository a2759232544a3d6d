ALTER TABLE `jobs` MODIFY COLUMN `timeout_ms` bigint;--> statement-breakpoint
ALTER TABLE `jobs` ADD `idempotency_key` varchar(200);--> statement-breakpoint
ALTER TABLE `jobs` ADD CONSTRAINT `jobs_idempotency_key` UNIQUE(`idempotency_key`);