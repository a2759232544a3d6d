CREATE TABLE `adjust_factor` (
	`code` varchar(16) NOT NULL,
	`divid_operate_date` date NOT NULL,
	`fore_adjust_factor` decimal(24,10) NOT NULL,
	`back_adjust_factor` decimal(24,10) NOT NULL,
	`adjust_factor` decimal(24,10) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `adjust_factor_code_divid_operate_date_pk` PRIMARY KEY(`code`,`divid_operate_date`)
);
--> statement-breakpoint
CREATE TABLE `daily_bar` (
	`code` varchar(16) NOT NULL,
	`trade_date` date NOT NULL,
	`open` decimal(20,10),
	`high` decimal(20,10),
	`low` decimal(20,10),
	`close` decimal(20,10),
	`preclose` decimal(20,10),
	`volume` bigint,
	`amount` decimal(24,4),
	`turn` decimal(16,6),
	`pct_chg` decimal(16,6),
	`trade_status` smallint NOT NULL,
	`is_st` boolean NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `daily_bar_code_trade_date_pk` PRIMARY KEY(`code`,`trade_date`)
);
--> statement-breakpoint
CREATE TABLE `security` (
	`code` varchar(16) NOT NULL,
	`name` varchar(64) NOT NULL,
	`type` smallint NOT NULL,
	`status` smallint NOT NULL,
	`ipo_date` date,
	`out_date` date,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `security_code` PRIMARY KEY(`code`)
);
--> statement-breakpoint
CREATE INDEX `daily_bar_trade_date` ON `daily_bar` (`trade_date`);