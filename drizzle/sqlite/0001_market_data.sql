CREATE TABLE `adjust_factor` (
	`code` text NOT NULL,
	`divid_operate_date` text NOT NULL,
	`fore_adjust_factor` text NOT NULL,
	`back_adjust_factor` text NOT NULL,
	`adjust_factor` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`code`, `divid_operate_date`)
);
--> statement-breakpoint
CREATE TABLE `daily_bar` (
	`code` text NOT NULL,
	`trade_date` text NOT NULL,
	`open` text,
	`high` text,
	`low` text,
	`close` text,
	`preclose` text,
	`volume` integer,
	`amount` text,
	`turn` text,
	`pct_chg` text,
	`trade_status` integer NOT NULL,
	`is_st` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`code`, `trade_date`)
);
--> statement-breakpoint
CREATE INDEX `daily_bar_trade_date` ON `daily_bar` (`trade_date`);--> statement-breakpoint
CREATE TABLE `security` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` integer NOT NULL,
	`status` integer NOT NULL,
	`ipo_date` text,
	`out_date` text,
	`updated_at` integer NOT NULL
);
