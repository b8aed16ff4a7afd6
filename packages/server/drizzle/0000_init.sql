CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`firm_id` text NOT NULL,
	`role` text NOT NULL,
	`secret_hash` text NOT NULL,
	`label` text,
	`created_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_secret_hash` ON `api_keys` (`secret_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_firm` ON `api_keys` (`firm_id`);--> statement-breakpoint
CREATE TABLE `entries` (
	`relationship_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`actor_firm_id` text NOT NULL,
	`occurred_at` text NOT NULL,
	`recorded_at` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	`subject_seq` integer,
	`voided_by_seq` integer,
	`disputed_by_seq` integer,
	`confirmed_by_seq` integer,
	PRIMARY KEY(`relationship_id`, `seq`),
	FOREIGN KEY (`relationship_id`) REFERENCES `relationships`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `entries_subject` ON `entries` (`relationship_id`,`subject_seq`);--> statement-breakpoint
CREATE TABLE `firms` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `goals` (
	`relationship_id` text NOT NULL,
	`seq` integer NOT NULL,
	`title` text NOT NULL,
	`proposed_by` text NOT NULL,
	`status` text NOT NULL,
	`voided` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`relationship_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `idempotency` (
	`firm_id` text NOT NULL,
	`key` text NOT NULL,
	`mutation` text NOT NULL,
	`request_hash` text NOT NULL,
	`result` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`firm_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `interactions` (
	`relationship_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`initiated_by` text NOT NULL,
	`occurred_at` text NOT NULL,
	`note` text,
	`volume` real,
	`score` integer,
	`first_response_at` text,
	`resolved_at` text,
	`voided` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`relationship_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `measurements` (
	`relationship_id` text NOT NULL,
	`seq` integer NOT NULL,
	`metric_seq` integer NOT NULL,
	`metric_idx` integer NOT NULL,
	`value` real NOT NULL,
	`observed_at` text NOT NULL,
	`recorded_by` text NOT NULL,
	`voided` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`relationship_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `measurements_metric` ON `measurements` (`relationship_id`,`metric_seq`,`metric_idx`);--> statement-breakpoint
CREATE TABLE `metrics` (
	`relationship_id` text NOT NULL,
	`seq` integer NOT NULL,
	`idx` integer NOT NULL,
	`goal_seq` integer NOT NULL,
	`name` text NOT NULL,
	`unit` text NOT NULL,
	`direction` text NOT NULL,
	`target` real NOT NULL,
	`baseline` real,
	`accountable` text NOT NULL,
	`voided` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`relationship_id`, `seq`, `idx`)
);
--> statement-breakpoint
CREATE INDEX `metrics_goal` ON `metrics` (`relationship_id`,`goal_seq`);--> statement-breakpoint
CREATE TABLE `policies` (
	`relationship_id` text NOT NULL,
	`seq` integer NOT NULL,
	`proposed_by` text NOT NULL,
	`policy` text NOT NULL,
	`status` text NOT NULL,
	PRIMARY KEY(`relationship_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `promises` (
	`relationship_id` text NOT NULL,
	`seq` integer NOT NULL,
	`promisor` text NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`amount` real,
	`currency` text,
	`made_at` text NOT NULL,
	`original_due_at` text NOT NULL,
	`due_at` text NOT NULL,
	`state` text NOT NULL,
	`outcome` text,
	`resolved_at` text,
	`voided` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`relationship_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `promises_open_due` ON `promises` (`state`,`due_at`);--> statement-breakpoint
CREATE TABLE `relationships` (
	`id` text PRIMARY KEY NOT NULL,
	`supplier_id` text NOT NULL,
	`client_id` text NOT NULL,
	`proposed_by` text NOT NULL,
	`status` text NOT NULL,
	`head_seq` integer NOT NULL,
	`head_hash` text NOT NULL,
	`max_occurred_at` text NOT NULL,
	`score_state` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`supplier_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `relationships_supplier` ON `relationships` (`supplier_id`);--> statement-breakpoint
CREATE INDEX `relationships_client` ON `relationships` (`client_id`);--> statement-breakpoint
CREATE TABLE `representatives` (
	`relationship_id` text NOT NULL,
	`side` text NOT NULL,
	`name` text NOT NULL,
	`since` text NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`relationship_id`, `side`)
);
