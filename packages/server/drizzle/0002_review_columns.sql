ALTER TABLE `relationships` ADD `scored_at` text;--> statement-breakpoint
ALTER TABLE `relationships` ADD `supplier_score` real;--> statement-breakpoint
ALTER TABLE `relationships` ADD `supplier_band` text;--> statement-breakpoint
ALTER TABLE `relationships` ADD `client_score` real;--> statement-breakpoint
ALTER TABLE `relationships` ADD `client_band` text;--> statement-breakpoint
ALTER TABLE `relationships` ADD `churn_stage` text;--> statement-breakpoint
CREATE INDEX `relationships_supplier_review` ON `relationships` (`supplier_id`,`client_score`,`id`);--> statement-breakpoint
CREATE INDEX `relationships_client_review` ON `relationships` (`client_id`,`supplier_score`,`id`);