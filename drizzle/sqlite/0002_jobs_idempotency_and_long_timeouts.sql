ALTER TABLE `jobs` ADD `idempotency_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_idempotency_key` ON `jobs` (`idempotency_key`);